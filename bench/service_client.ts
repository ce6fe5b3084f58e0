/**
 * @module
 * What the benchmarks ask a running service: its API with the token, and speech for their
 * sessions made by its own TTS worker through `/v1/audio/speech` (24 kHz), asked again while the
 * workers are still starting.
 */

/** JSON requests with the service's token; a status other than 2xx throws with the body. */
export function serviceApi(server: { url: string; token: string }) {
  const headers = { authorization: `Bearer ${server.token}`, "content-type": "application/json" };
  return async (path: string, method = "GET", body?: unknown): Promise<Response> => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r;
  };
}

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
