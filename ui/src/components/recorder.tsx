/**
 * @module
 * Records a sample in the browser (getUserMedia through the capture worklet) and hands it over as
 * a WAV file.
 */
import { useRef, useState } from "preact/hooks";
import { openMicrophone } from "../audio/microphone.ts";
import type { Microphone } from "../audio/microphone.ts";
import { encodeWav } from "../audio/wav.ts";
import { message } from "../api.ts";

export function Recorder(props: { onRecorded: (wav: Blob) => Promise<void> }) {
  const [recording, setRecording] = useState(false);
  const [seconds, setSeconds] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const session = useRef<{ context: AudioContext; mic: Microphone; blocks: Float32Array[] }>();

  async function start() {
    setError(null);
    try {
      const context = new AudioContext();
      const mic = await openMicrophone(context);
      const blocks: Float32Array[] = [];
      mic.onBlock = (block) => {
        blocks.push(block);
        setSeconds(blocks.length / 50);
      };
      session.current = { context, mic, blocks };
      setSeconds(0);
      setRecording(true);
    } catch (e) {
      setError(`The microphone cannot be opened: ${message(e)}`);
    }
  }

  async function stop() {
    const s = session.current;
    if (!s) return;
    session.current = undefined;
    setRecording(false);
    await s.mic.close();
    await s.context.close();
    if (s.blocks.length > 0) await props.onRecorded(encodeWav(s.blocks, s.context.sampleRate));
  }

  return (
    <div class="recorder">
      <button type="button" onClick={recording ? stop : start} aria-pressed={recording}>
        {recording ? `Stop recording (${seconds.toFixed(1)} s)` : "Record a sample"}
      </button>
      {error && <p role="alert" class="error">{error}</p>}
    </div>
  );
}
