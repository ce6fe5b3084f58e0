/**
 * @module
 * Reply audio through an AudioWorklet queue: chunks play back to back as they arrive.
 */

export interface Speaker {
  play(samples: Float32Array): void;
  /** Drops what is queued (barge-in). */
  flush(): void;
  onStarted: (() => void) | null;
  /** The queue ran dry: the end of a reply, or a gap if more audio follows. */
  onDrained: (() => void) | null;
  close(): void;
}

export async function openSpeaker(context: AudioContext): Promise<Speaker> {
  await context.audioWorklet.addModule("/ui/worklets.js");
  const node = new AudioWorkletNode(context, "nobody-playback", { outputChannelCount: [1] });
  node.connect(context.destination);
  const speaker: Speaker = {
    play: (samples) => node.port.postMessage(samples, [samples.buffer]),
    flush: () => node.port.postMessage("flush"),
    onStarted: null,
    onDrained: null,
    close: () => node.disconnect(),
  };
  node.port.onmessage = (event) => {
    if (event.data.type === "started") speaker.onStarted?.();
    if (event.data.type === "drained") speaker.onDrained?.();
  };
  return speaker;
}
