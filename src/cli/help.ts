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
  help     show help for a command: nobody help serve

${COMMON_OPTIONS}`,
  serve: `Usage: nobody serve [--host 127.0.0.1] [--port 6629]

Runs the service until interrupted (Ctrl-C or SIGTERM).
  --host ADDR   loopback address to listen on (env NOBODY_HOST)
  --port PORT   port to listen on, 0 for any free port (env NOBODY_PORT)

${COMMON_OPTIONS}`,
  doctor: `Usage: nobody doctor

Checks deno, PortAudio, python and the worker modules, espeak-ng, the pocketsphinx model, uv,
ffmpeg and Ollama, and prints how to install what is missing. Exits 1 if a required part is missing.

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
};
