/**
 * @module
 * What the service reports about a speech engine it reaches over the network.
 */

export interface RemoteEngineStatus {
  readonly kind: "stt" | "tts";
  readonly provider: "openai";
  readonly url: string;
  readonly model: string;
  /** Whether the server's `GET /models` answered at the last look (a few seconds old at most). */
  readonly reachable: boolean;
  readonly checkMs: number | null;
  readonly error: string | null;
  /** Calls sent, calls that failed, and the last failure's message. */
  readonly calls: number;
  readonly failures: number;
  readonly lastFailure: string | null;
}
