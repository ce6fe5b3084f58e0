/**
 * @module
 * The API token: 32 random bytes, created at first start in the data dir with mode 0600 so only
 * this user can read it.
 */
import { NobodyError } from "../../domain/errors.ts";
import { hmacHex } from "../../lib/hmac.ts";

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;

export function tokenPath(dataDir: string): string {
  return `${dataDir}/token`;
}

export async function loadOrCreateToken(
  dataDir: string,
): Promise<{ token: string; created: boolean }> {
  const path = tokenPath(dataDir);
  await Deno.mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    const token = makeToken();
    // createNew makes two processes starting at once agree on one token: the loser reads it.
    await Deno.writeTextFile(path, token + "\n", { createNew: true, mode: 0o600 });
    return { token, created: true };
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  return { token: await readToken(dataDir), created: false };
}

export async function readToken(dataDir: string): Promise<string> {
  const path = tokenPath(dataDir);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new NobodyError(
        "not_found",
        `no API token at ${path}; start the service once (nobody serve)`,
      );
    }
    throw error;
  }
  const token = text.trim();
  if (!TOKEN_PATTERN.test(token)) {
    throw new NobodyError(
      "internal",
      `the token file ${path} is damaged; delete it and restart to make a new one`,
    );
  }
  const mode = (await Deno.stat(path)).mode;
  if (mode !== null && (mode & 0o077) !== 0) await Deno.chmod(path, 0o600);
  return token;
}

function makeToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

/** A stable tag of the token that does not reveal it (it names the dashboard cookie). */
export function tokenFingerprint(token: string): Promise<string> {
  return hmacHex(token, "nobody dashboard v1");
}
