/**
 * @module
 * The engines of a service whose ML workers are turned off.
 */
import { NobodyError } from "../domain/errors.ts";
import type { SampleAnalyzer } from "../ports/sample_analyzer.ts";
import type { SttEngine } from "../ports/stt_engine.ts";
import type { Trainer } from "../ports/trainer.ts";
import type { TtsEngine } from "../ports/tts_engine.ts";

export interface DisabledEngines {
  readonly stt: SttEngine;
  readonly tts: TtsEngine;
  readonly trainer: Trainer & SampleAnalyzer;
}

/**
 * Engines for a core whose workers are off: every use says so, the way a worker that is down
 * does (through the stream or promise, never thrown synchronously at the caller).
 */
export function workersOff(): DisabledEngines {
  const error = () =>
    new NobodyError("unavailable", "the ML workers are disabled (workers.enabled = false)");
  const failing = <T>(): AsyncIterable<T> => ({
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error()) }),
  });
  const idle = { endInput: () => {}, close: () => {} };
  return {
    stt: { stream: () => ({ ...idle, pushAudio: () => {}, events: failing() }) },
    tts: {
      synthesize: () => failing(),
      stream: () => ({ ...idle, pushText: () => {}, chunks: failing() }),
    },
    trainer: { train: () => failing(), analyze: () => Promise.reject(error()) },
  };
}
