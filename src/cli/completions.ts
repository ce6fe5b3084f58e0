/**
 * @module
 * `nobody completions bash|zsh|fish`: shell completion scripts made from the command table, so
 * they list exactly the commands and options this build has.
 */
import { CONFIG_FLAGS } from "../config/config.ts";
import { COMMAND_OPTIONS } from "./args.ts";

/** Words after a command that are not options. */
const ACTIONS: Record<string, string[]> = {
  service: ["install", "uninstall", "status", "logs"],
  voices: ["list", "create", "delete", "add", "train"],
  personas: ["list", "delete"],
  completions: ["bash", "zsh", "fish"],
  help: Object.keys(COMMAND_OPTIONS),
};

export const SHELLS = ["bash", "zsh", "fish"] as const;

/** What `nobody complete` lists from the running service. */
export const COMPLETION_WORDS = ["voices", "voice-names", "personas"] as const;
export type CompletionWords = typeof COMPLETION_WORDS[number];

const optionsOf = (command: string) =>
  [
    ...Object.keys((COMMAND_OPTIONS as Record<string, object>)[command] ?? {}),
    ...CONFIG_FLAGS,
    "help",
  ].map((o) => `--${o}`);

/**
 * The script asks the running service for voice and persona ids (`voices train <TAB>`,
 * `personas delete <TAB>`) and voice names (`say --voice <TAB>`) through `self complete`, which
 * prints nothing when the service is down.
 */
export function completionScript(shell: typeof SHELLS[number], self = "nobody"): string {
  const commands = Object.keys(COMMAND_OPTIONS).filter((c) => c !== "complete").concat("help");
  if (shell === "bash" || shell === "zsh") {
    const cases = commands.map((c) =>
      `    ${c}) words="${[...(ACTIONS[c] ?? []), ...optionsOf(c)].join(" ")}" ;;`
    );
    return `# nobody ${shell} completion: eval "$(nobody completions ${shell})"
${shell === "zsh" ? "autoload -U +X bashcompinit && bashcompinit\n" : ""}_nobody() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${commands.join(" ")}" -- "$cur"))
    return
  fi
  local words=""
  case "\${COMP_WORDS[1]}" in
${cases.join("\n")}
  esac
  local prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$prev" = "--voice" ]; then
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$(${self} complete voice-names 2>/dev/null)" -- "$cur"))
    return
  fi
  local dynamic=""
  case "\${COMP_WORDS[1]} \${COMP_WORDS[2]}" in
    "voices delete"|"voices add"|"voices train") [ "$COMP_CWORD" -eq 3 ] && dynamic=voices ;;
    "personas delete") [ "$COMP_CWORD" -eq 3 ] && dynamic=personas ;;
  esac
  if [ -n "$dynamic" ]; then
    COMPREPLY=($(compgen -W "$(${self} complete $dynamic 2>/dev/null)" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  # Files for the commands that read or write them.
  case "\${COMP_WORDS[1]}" in
    play|record|transcribe|voices|say|import) COMPREPLY+=($(compgen -f -- "$cur")) ;;
  esac
}
complete -F _nobody nobody
`;
  }
  const lines = [
    "# nobody fish completion: nobody completions fish | source",
    "complete -c nobody -f",
    ...commands.map((c) => `complete -c nobody -n __fish_use_subcommand -a ${c}`),
  ];
  lines.push(
    `complete -c nobody -n "__fish_seen_subcommand_from delete add train; and __fish_seen_subcommand_from voices" -a "(${self} complete voices 2>/dev/null)"`,
    `complete -c nobody -n "__fish_seen_subcommand_from delete; and __fish_seen_subcommand_from personas" -a "(${self} complete personas 2>/dev/null)"`,
    `complete -c nobody -n "__fish_seen_subcommand_from say" -l voice -x -a "(${self} complete voice-names 2>/dev/null)"`,
  );
  for (const c of commands) {
    for (const action of ACTIONS[c] ?? []) {
      lines.push(`complete -c nobody -n "__fish_seen_subcommand_from ${c}" -a ${action}`);
    }
    for (const option of optionsOf(c)) {
      lines.push(`complete -c nobody -n "__fish_seen_subcommand_from ${c}" -l ${option.slice(2)}`);
    }
  }
  return lines.join("\n") + "\n";
}
