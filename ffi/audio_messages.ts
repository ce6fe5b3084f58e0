/**
 * @module
 * Messages between the main thread and the audio thread. Setup and teardown go through
 * postMessage; once streaming, the thread only reads the shared control block, because its
 * blocking loop never returns to the event loop.
 */
import type { DeviceInfo } from "./portaudio.ts";

export interface DirectionConfig {
  readonly device?: number;
  readonly sampleRate: number;
  readonly framesPerBuffer: number;
  readonly latencyMs?: number;
  readonly ring: SharedArrayBuffer;
}

export type AudioThreadRequest =
  | {
    readonly type: "open";
    readonly library: string;
    readonly control: SharedArrayBuffer;
    readonly capture?: DirectionConfig;
    readonly playback?: DirectionConfig;
  }
  | { readonly type: "list_devices"; readonly library: string };

export interface OpenedDirection {
  readonly deviceName: string;
  readonly latencyMs: number;
}

export type AudioThreadEvent =
  | {
    readonly type: "opened";
    readonly capture?: OpenedDirection;
    readonly playback?: OpenedDirection;
  }
  | { readonly type: "devices"; readonly devices: DeviceInfo[] }
  | { readonly type: "stopped" }
  | { readonly type: "error"; readonly message: string };

/** Slots of the Int32 control block shared with the audio thread. */
export const CONTROL = {
  STOP: 0,
  CAPTURE_XRUNS: 1,
  PLAYBACK_XRUNS: 2,
  SLOTS: 3,
} as const;
