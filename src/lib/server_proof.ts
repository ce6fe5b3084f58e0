/**
 * @module
 * The service proves it holds the API token without revealing it: HMAC-SHA256(token,
 * "nobody server proof v1:" + nonce) over a nonce the client chose. A client checks the proof
 * before it sends the token, so a process squatting the port after a crash never receives it.
 */

export const PROOF_CONTEXT = "nobody server proof v1:";

export async function serverProof(token: string, nonce: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(token),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    new TextEncoder().encode(PROOF_CONTEXT + nonce),
  );
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}
