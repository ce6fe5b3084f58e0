/**
 * @module
 * The service proves it holds the API token without revealing it: HMAC-SHA256(token,
 * "nobody server proof v1:" + nonce) over a nonce the client chose. A client checks the proof
 * before it sends the token, so a process squatting the port after a crash never receives it.
 */
import { hmacHex } from "./hmac.ts";

export const PROOF_CONTEXT = "nobody server proof v1:";

export function serverProof(token: string, nonce: string): Promise<string> {
  return hmacHex(token, PROOF_CONTEXT + nonce);
}
