/**
 * @module
 * Progress bars for long CLI work (uploads, training): redrawn in place on a terminal, one line
 * per tenth on a pipe so logs stay readable.
 */

const WIDTH = 24;

export function bar(fraction: number, width = WIDTH): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return `[${"#".repeat(full)}${"-".repeat(width - full)}] ${
    String(Math.round(f * 100)).padStart(3)
  }%`;
}

export interface Progress {
  update(fraction: number, label: string): void;
  done(label: string): void;
}

export function progress(
  options: { write?: (text: string) => void; tty?: boolean } = {},
): Progress {
  const encoder = new TextEncoder();
  const write = options.write ?? ((text: string) => Deno.stderr.writeSync(encoder.encode(text)));
  const tty = options.tty ?? Deno.stderr.isTerminal();
  let lastTenth = -1;
  return {
    update(fraction, label) {
      if (tty) {
        write(`\r\x1b[2K${bar(fraction)} ${label}`);
        return;
      }
      const tenth = Math.floor(Math.max(0, Math.min(1, fraction)) * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      write(`${bar(fraction)} ${label}\n`);
    },
    done(label) {
      write(tty ? `\r\x1b[2K${bar(1)} ${label}\n` : `${bar(1)} ${label}\n`);
    },
  };
}
