/**
 * @module
 * One spoken reply: the persona's prompt and trimmed history plus the transcript go to the LLM;
 * its tokens are split into sentences, each sent to TTS as soon as it is complete; the audio is
 * written to the sink as it arrives. Everything streams and everything stops on the signal.
 */
import { trimHistory } from "../domain/conversation.ts";
import type { LlmSettings, Persona } from "../domain/persona.ts";
import { SentenceSplitter } from "../domain/sentences.ts";
import { ThinkFilter } from "../domain/think_filter.ts";
import type { AudioSink } from "../ports/audio_io.ts";
import type { HistoryRepository } from "../ports/history_repository.ts";
import type { LlmMessage, LlmProvider } from "../ports/llm_provider.ts";
import type { TtsEngine, TtsStream } from "../ports/tts_engine.ts";

/** About 6k tokens of history: room for a long conversation in any current chat model. */
export const HISTORY_BUDGET_CHARS = 24_000;
const HISTORY_FETCH = 200;
const DEFAULT_PROMPT =
  "You are a helpful voice assistant. Answer briefly, in plain spoken sentences.";

export interface ReplyDeps {
  readonly llm: (settings: LlmSettings) => LlmProvider;
  readonly tts: TtsEngine;
  readonly history: HistoryRepository;
}

export interface ReplyEvents {
  onToken(text: string): void;
  onSentence(sentence: string): void;
  /** The first audio of a sentence was written to the sink: the listener is about to hear it. */
  onSentenceAudio(sentence: string): void;
}

export interface ReplyRequest {
  readonly persona: Persona;
  readonly voiceId: string | null;
  readonly transcript: string;
  readonly sink: AudioSink;
  readonly signal: AbortSignal;
  readonly events: ReplyEvents;
  /** A stream opened ahead for this reply's voice and the sink's rate; else one is opened. */
  readonly tts?: TtsStream;
}

/** Returns the reply's text once all its audio was written to the sink (not yet heard). */
export async function speakReply(deps: ReplyDeps, request: ReplyRequest): Promise<string> {
  const { persona, sink, events } = request;
  const history = trimHistory(
    deps.history.recent(persona.id, HISTORY_FETCH).messages,
    HISTORY_BUDGET_CHARS,
  );
  const messages: LlmMessage[] = [
    { role: "system", content: persona.systemPrompt.trim() || DEFAULT_PROMPT },
    ...history.map((m) => ({
      role: m.role,
      // The model learns where the user cut it off, and does not repeat what was heard.
      content: m.interrupted ? `${m.content} [interrupted by the user]` : m.content,
    })),
    { role: "user", content: request.transcript },
  ];
  // Either half failing stops the other.
  const controller = new AbortController();
  const signal = AbortSignal.any([request.signal, controller.signal]);
  const tts = request.tts ?? deps.tts.stream({
    voiceId: request.voiceId ?? persona.voiceId,
    sampleRate: sink.sampleRate,
    signal,
  });
  const splitter = new SentenceSplitter();
  // Reasoning a model writes into its content is neither spoken nor shown as the reply.
  const thinking = new ThinkFilter();
  let reply = "";
  const sentences: string[] = [];
  const say = (pieces: string[]) => {
    for (const sentence of pieces) {
      sentences.push(sentence);
      tts.pushText(sentence);
      events.onSentence(sentence);
    }
  };
  const generate = (async () => {
    try {
      const tokens = deps.llm(persona.llm).chat(messages, {
        model: persona.llm.model,
        temperature: persona.llm.temperature,
        think: persona.llm.think,
        signal,
      });
      const spoken = (text: string) => {
        if (!text) return;
        reply += text;
        events.onToken(text);
        say(splitter.push(text));
      };
      for await (const token of tokens) spoken(thinking.push(token));
      spoken(thinking.flush());
      say(splitter.flush());
    } finally {
      tts.endInput();
    }
  })();
  // Observed now, awaited below: it may fail while we wait for audio, before the await is reached.
  generate.catch(() => {});
  try {
    let heard = -1;
    for await (const chunk of tts.chunks) {
      while (heard < chunk.textIndex) events.onSentenceAudio(sentences[++heard] ?? "");
      await sink.write(chunk.samples, { signal });
    }
    await generate;
    return reply;
  } catch (error) {
    controller.abort(error);
    tts.close();
    await generate.catch(() => {});
    throw error;
  }
}
