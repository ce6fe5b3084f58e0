/**
 * @module
 * Speech for a benchmark's sessions, made by the service's own TTS worker through
 * `/v1/audio/speech` (24 kHz), asked again while the workers are still starting.
 */

export async function speechFromService(
  api: (path: string, method: string, body: unknown) => Promise<Response>,
  text: string,
  options: { attempts?: number; speed?: number } = {},
): Promise<Float32Array> {
  for (let attempt = 0;; attempt++) {
    try {
      const r = await api("/v1/audio/speech", "POST", {
        model: "m",
        voice: "alloy",
        input: text,
        response_format: "pcm",
        speed: options.speed ?? 0.8,
      });
      return Float32Array.from(new Int16Array(await r.arrayBuffer()), (x) => x / 32768);
    } catch (error) {
      if (attempt >= (options.attempts ?? 120)) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
