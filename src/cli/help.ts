/**
 * @module
 * Help texts for the command line.
 */

export const COMMON_OPTIONS = `Options for every command:
  --data-dir DIR     where voices, samples and the database live (env NOBODY_DATA_DIR)
  --config FILE      config file to read (env NOBODY_CONFIG; default: see README)
  --log-level LEVEL  debug, info, warn or error (env NOBODY_LOG_LEVEL)
  -h, --help         show help`;

export const HELP: Record<string, string> = {
  main: `nobody — local voice conversations with AI personas

Usage: nobody <command> [options]

Commands:
  serve    run the service: REST + WebSocket API and dashboard on localhost
  doctor   check this machine for everything nobody needs
  token    print the API token that programs send as Authorization: Bearer
  ui       print (or --open) the dashboard login link
  devices  list audio devices
  play     play a WAV file on the speaker
  record   record the microphone into a WAV file
  say      speak text in a voice (plays it, or --out FILE.wav)
  transcribe  print what is said in an audio file
  voices   list, create, delete voices; add samples; train (with progress)
  personas list or delete personas
  service  install, uninstall, status, logs: run nobody in the background
  dictate      speak, and get the text on stdout
  import       bring personas and voice samples over from the earlier nobody
  completions  print a bash, zsh or fish completion script
  help     show help for a command: nobody help serve

${COMMON_OPTIONS}`,
  serve: `Usage: nobody serve [--host 127.0.0.1] [--port 6629]

Runs the service until interrupted (Ctrl-C or SIGTERM).
  --host ADDR   loopback address to listen on (env NOBODY_HOST)
  --port PORT   port to listen on, 0 for any free port (env NOBODY_PORT)

${COMMON_OPTIONS}`,
  doctor: `Usage: nobody doctor [--engines]

Checks deno, PortAudio, python and the worker modules, espeak-ng, the pocketsphinx model, uv,
ffmpeg and Ollama, and prints how to install what is missing. Exits 1 if a required part is missing.

  --engines   also start the speech engines and run a real round trip: speak a sentence,
              transcribe it back and clone a quick voice, printing each engine's time to first
              audio, real-time factor and word accuracy (and whether Pocket TTS can clone)

${COMMON_OPTIONS}`,
  token: `Usage: nobody token

Prints the API token (created at first start, stored with mode 0600 in the data dir).

${COMMON_OPTIONS}`,
  ui: `Usage: nobody ui [--open]

Prints a one-time login link for the dashboard of the running service.
  --open   open it in the default browser

${COMMON_OPTIONS}`,
  devices: `Usage: nobody devices [--json]

Lists the audio devices PortAudio sees; < marks the default input, > the default output.
Choose devices with audio.input_device / audio.output_device (index or name) or --device.

${COMMON_OPTIONS}`,
  play: `Usage: nobody play FILE.wav [--device NAME|INDEX]

Plays a WAV file through the local speaker path (PortAudio in the audio thread).

${COMMON_OPTIONS}`,
  record: `Usage: nobody record FILE.wav [--seconds 5] [--rate 48000] [--device NAME|INDEX]

Records the microphone into a 16-bit WAV file; Ctrl-C stops early and keeps what was recorded.

${COMMON_OPTIONS}`,
  service: `Usage: nobody service install|uninstall|status|logs [--no-start] [-f] [--lines N]

Keeps \`nobody serve\` running in the background: a LaunchAgent on macOS (logs in
~/Library/Logs/nobody), a systemd user unit on Linux (logs in the journal).
  install     write the agent/unit and start it (it also starts at every login)
  uninstall   stop it and remove the agent/unit
  status      whether it is installed and running (exit 3 when not running)
  logs        show the latest log lines; -f follows them, --lines N (default 200)
  --no-start  only write or remove the file, without telling launchd/systemd

${COMMON_OPTIONS}`,
  say: `Usage: nobody say TEXT... [--voice ID|NAME] [--out FILE.wav] [--speed X]

Speaks the text through the running service in a trained voice (default: the engine's own) and
plays it on the speaker, or writes a WAV file with --out.

${COMMON_OPTIONS}`,
  transcribe: `Usage: nobody transcribe FILE [--format text|json|verbose_json]

Prints what is said in an audio file (WAV, FLAC, Ogg, MP3, M4A), via the running service.

${COMMON_OPTIONS}`,
  voices: `Usage: nobody voices [list|create NAME|delete ID|add ID FILE...|train ID --consent]

  list              the voices with their sample counts and tiers (--json for JSON)
  create NAME       a new voice (--description TEXT); prints its id
  delete ID         the voice with its samples and files
  add ID FILE...    upload samples, with a progress bar and each sample's warnings
  train ID --consent  train the voice (the speaker agreed), following its progress

${COMMON_OPTIONS}`,
  personas: `Usage: nobody personas [list|delete ID] [--json]

${COMMON_OPTIONS}`,
  completions: `Usage: nobody completions bash|zsh|fish

Prints a completion script: eval "$(nobody completions bash)" in ~/.bashrc, the same with zsh
in ~/.zshrc, or nobody completions fish | source in fish's config. The scripts complete voice
and persona ids and voice names from the running service.

${COMMON_OPTIONS}`,
  dictate: `Usage: nobody dictate [--silence MS] [--cleanup]

Records from the microphone through the running service until Enter, or until a pause of
--silence ms (default 2000; 0: only Enter), and prints the text: pipe it anywhere
(nobody dictate | pbcopy). --cleanup has the default persona's model fix punctuation and
filler words.

Options:
  --silence MS  the pause that ends the recording (200 to 10000, or 0)
  --cleanup     tidy the text with the persona's model

${COMMON_OPTIONS}`,
  import: `Usage: nobody import DIR [--dry-run]

Brings the earlier (Python) nobody's personas and voice samples into the running service: DIR
holds its personas.yaml (name, system_prompt, llm.provider, llm.model, voice) and a voices/
folder with one folder of samples per voice. Voices and personas are matched by name and a
sample already stored is not added again, so running it twice changes nothing. A persona gets
its voice once that voice is trained: train it, then import again.

Options:
  --dry-run    print what would change, and change nothing

${COMMON_OPTIONS}`,
  complete: `Usage: nobody complete voices|voice-names|personas

For completion scripts: prints the running service's voice ids, voice names or persona ids, one a
line, and nothing at all when the service is not running.

${COMMON_OPTIONS}`,
};
