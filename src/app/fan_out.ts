/**
 * @module
 * One reply, every listener: the sink a socket session speaks into fans out to each attached
 * client (and to none, when all have left).
 */
import type { AudioSink } from "../ports/audio_io.ts";

/** Every attached client hears the reply; a client that leaves does not stop the others. */
export function fanOut(sinks: AudioSink[], sampleRate: number): AudioSink {
  if (sinks.length === 1) return sinks[0];
  if (sinks.length === 0) return discardSink(sampleRate);
  return {
    sampleRate,
    write: async (samples, options) => {
      await Promise.all(sinks.map((s) => s.write(samples, options)));
    },
    finish: async (options) => {
      await Promise.all(sinks.map((s) => s.finish(options)));
    },
    flush: () => sinks.forEach((s) => s.flush()),
    latencyMs: () => Math.max(...sinks.map((s) => s.latencyMs())),
  };
}

function discardSink(sampleRate: number): AudioSink {
  return {
    sampleRate,
    write: () => Promise.resolve(),
    finish: () => Promise.resolve(),
    flush: () => {},
    latencyMs: () => 0,
  };
}
