/**
 * @module
 * The command-line handlers other than `serve`: each builds the adapters its command needs (the
 * composition root, main.ts, adds `serve`, which builds the whole service).
 */
import { fileURLToPath } from "node:url";
import { NobodyError } from "../domain/errors.ts";
import type { Config } from "../config/config.ts";
import { readToken } from "../adapters/files/token_file.ts";
import { DeviceAudio, type DeviceAudioOptions } from "../adapters/audio/device_audio.ts";
import { listDevices } from "../adapters/audio/list_devices.ts";
import type { Handlers } from "./run.ts";
import { report, runChecks } from "./doctor.ts";
import { engineCheck, engineReport, type EngineRig } from "./engine_check.ts";
import { uiCommand } from "./ui_command.ts";
import { devicesCommand, playCommand, recordCommand } from "./audio_commands.ts";
import { serviceCommand, serviceSpec } from "./service_command.ts";
import { apiClient } from "./api_client.ts";
import { importCommand } from "./import_command.ts";
import { dictateCommand } from "./dictate_command.ts";
import { readLegacyProject } from "../adapters/files/legacy_project.ts";
import {
  completeCommand,
  personasCommand,
  sayCommand,
  transcribeCommand,
  voicesCommand,
} from "./client_commands.ts";

export interface HandlerOptions {
  readonly version: string;
  /** main.ts's URL: the service command runs it (or the compiled binary) as `serve`. */
  readonly mainUrl: string;
  readonly compiled: boolean;
  /** Starts the ML workers for `doctor --engines` (main.ts builds them). */
  readonly engineRig?: (config: Config) => Promise<EngineRig>;
}

const audioDeps = { listDevices, openDevices: (o: DeviceAudioOptions) => DeviceAudio.open(o) };

export function commandHandlers(setup: HandlerOptions): Omit<Handlers, "serve"> {
  return {
    version: setup.version,
    selfCommand: setup.compiled
      ? shellQuote(Deno.execPath())
      : `${shellQuote(Deno.execPath())} run -A ${shellQuote(fileURLToPath(setup.mainUrl))}`,
    doctor: async (c, options) => {
      const result = report(
        await runChecks({ config: c, os: Deno.build.os, portaudioPath: c.audio.portaudioLibrary }),
      );
      console.log(result.text);
      if (!options.engines) return result.ok ? 0 : 1;
      if (!setup.engineRig) {
        throw new NobodyError("unavailable", "this build cannot start the engines");
      }
      console.log("\nEngines (a real round trip; the first start loads the models):");
      const rig = await setup.engineRig(c);
      try {
        const engines = engineReport(await engineCheck(rig));
        console.log(engines.text);
        return result.ok && engines.ok ? 0 : 1;
      } finally {
        await rig.stop();
      }
    },
    token: async (c) => {
      console.log(await readToken(c.dataDir));
      return 0;
    },
    ui: (c, options) => uiCommand(c, options),
    devices: (c, options) => devicesCommand(c, audioDeps, options),
    play: (c, options) => playCommand(c, audioDeps, options),
    record: (c, options) => recordCommand(c, audioDeps, options),
    service: (c, action, options) => {
      const home = Deno.env.get("HOME");
      if (!home) throw new NobodyError("invalid_request", "HOME is not set");
      return serviceCommand(action, options, {
        os: Deno.build.os,
        home,
        uid: Deno.uid() ?? 0,
        spec: serviceSpec({
          compiled: setup.compiled,
          execPath: Deno.execPath(),
          mainPath: fileURLToPath(setup.mainUrl),
          dataDir: c.dataDir,
          home,
        }),
        exec: async (command, args, o = {}) => {
          const out = await new Deno.Command(command, {
            args,
            stdout: o.inherit ? "inherit" : "piped",
            stderr: o.inherit ? "inherit" : "piped",
          }).output();
          // An inherited stream was never captured: reading it throws "not piped".
          if (o.inherit) return { code: out.code, stdout: "", stderr: "" };
          const text = (b: Uint8Array) => new TextDecoder().decode(b);
          return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
        },
        print: (line) => console.log(line),
      });
    },
    client: async (c, command, signal) => {
      if (command.type === "complete") {
        const print = (line: string) => console.log(line);
        return await completeCommand(() => apiClient(c), command.what, {
          print,
          play: () => Promise.resolve(1),
        });
      }
      const api = await apiClient(c);
      const io = {
        print: (line: string) => console.log(line),
        play: (file: string) => playCommand(c, audioDeps, { file, signal }),
      };
      switch (command.type) {
        case "say":
          return await sayCommand(api, command.text, command, io);
        case "transcribe":
          return await transcribeCommand(api, command.file, command, io);
        case "voices":
          return await voicesCommand(api, command.args, command, io);
        case "personas":
          return await personasCommand(api, command.args, command, io);
        case "import":
          return await importCommand(api, await readLegacyProject(command.path), command, io);
        case "dictate":
          return await dictateCommand(api, {
            ...command,
            signal,
            enter: () => firstLine(Deno.stdin.readable),
            print: (text) => console.log(text),
            note: (text) => console.error(text),
          });
      }
    },
  };
}

/** A word the shell reads back as it is. */
function shellQuote(word: string): string {
  return /^[\w./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Resolves at the first line of input (Enter), or when the input ends. */
async function firstLine(input: ReadableStream<Uint8Array>): Promise<void> {
  const reader = input.pipeThrough(new TextDecoderStream()).getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done || value.includes("\n")) return;
    }
  } finally {
    reader.releaseLock();
  }
}
