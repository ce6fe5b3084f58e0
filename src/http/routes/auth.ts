/**
 * @module
 * GET /auth/challenge?nonce=…: answered without a token, with the {@linkcode serverProof}.
 */
import { Hono } from "hono";
import { NobodyError } from "../../domain/errors.ts";
import { serverProof } from "../../lib/server_proof.ts";

export function authRoutes(deps: { token: string }): Hono {
  const app = new Hono();
  app.get("/challenge", async (c) => {
    const nonce = c.req.query("nonce") ?? "";
    // A client-chosen nonce of 128+ random bits: the proof is never replayable to another client.
    if (!/^[0-9a-f]{32,128}$/.test(nonce)) {
      throw new NobodyError("invalid_request", '"nonce" must be 32 to 128 hex digits');
    }
    return c.json({ proof: await serverProof(deps.token, nonce) });
  });
  return app;
}
