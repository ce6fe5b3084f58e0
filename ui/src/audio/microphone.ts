/**
 * @module
 * The microphone through an AudioWorklet: 20 ms mono float32 blocks at the context's rate.
 */

export interface Microphone {
  readonly sampleRate: number;
  /** Receives every block while set. */
  onBlock: ((block: Float32Array<ArrayBuffer>) => void) | null;
  close(): Promise<void>;
}

/** The microphones the browser offers (their names show once one was allowed). */
export async function listMicrophones(): Promise<{ id: string; label: string }[]> {
  const devices = await navigator.mediaDevices?.enumerateDevices?.() ?? [];
  return devices.filter((d) => d.kind === "audioinput").map((d, i) => ({
    id: d.deviceId,
    label: d.label || `Microphone ${i + 1}`,
  }));
}

export async function openMicrophone(
  context: AudioContext,
  options: { deviceId?: string } = {},
): Promise<Microphone> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error("this browser gives no microphone access to this page");
  }
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: {
      channelCount: 1,
      echoCancellation: true,
      noiseSuppression: false,
      ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}),
    },
  });
  await context.audioWorklet.addModule("/ui/worklets.js");
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, "nobody-capture", { numberOfOutputs: 0 });
  source.connect(node);
  const mic: Microphone = {
    sampleRate: context.sampleRate,
    onBlock: null,
    close: async () => {
      source.disconnect();
      node.port.onmessage = null;
      for (const track of stream.getTracks()) track.stop();
      await Promise.resolve();
    },
  };
  node.port.onmessage = (event) => mic.onBlock?.(event.data as Float32Array<ArrayBuffer>);
  return mic;
}
