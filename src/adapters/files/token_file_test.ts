import assert from "node:assert/strict";
import { loadOrCreateToken, readToken, tokenFingerprint, tokenPath } from "./token_file.ts";

Deno.test("loadOrCreateToken() creates a private token once and then reuses it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = await loadOrCreateToken(`${dir}/data`);
    assert.ok(first.created);
    assert.match(first.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal((await Deno.stat(tokenPath(`${dir}/data`))).mode! & 0o777, 0o600);
    const second = await loadOrCreateToken(`${dir}/data`);
    assert.deepEqual(second, { token: first.token, created: false });

    await Deno.chmod(tokenPath(`${dir}/data`), 0o644);
    assert.equal(await readToken(`${dir}/data`), first.token);
    assert.equal(
      (await Deno.stat(tokenPath(`${dir}/data`))).mode! & 0o777,
      0o600,
      "mode is repaired",
    );

    await Deno.writeTextFile(tokenPath(`${dir}/data`), "short");
    await assert.rejects(readToken(`${dir}/data`), /is damaged; delete it/);
    await assert.rejects(readToken(`${dir}/none`), /start the service once/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tokenFingerprint() is stable per token and does not contain it", async () => {
  const a = await tokenFingerprint("token-a-0123456789abcdef0123456789abcdef");
  assert.equal(a, await tokenFingerprint("token-a-0123456789abcdef0123456789abcdef"));
  assert.notEqual(a, await tokenFingerprint("token-b-0123456789abcdef0123456789abcdef"));
  assert.match(a, /^[0-9a-f]{64}$/);
});
