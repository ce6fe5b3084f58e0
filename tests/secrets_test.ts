/**
 * Secrets sent only where they belong: the CLI's token goes only to a server that proves it is
 * this nobody.
 */
import assert from "node:assert/strict";
import { runCli, startServer } from "./helpers/server_process.ts";

// Defect: after a crash another local user could listen on the freed port, and the CLI, trusting
// the leftover server.json, sent it the real token.
Deno.test("secrets: the CLI sends its token only to a server that proves it holds it", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "nobody-secrets-" });
  const seen: (string | null)[] = [];
  const squatter = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    seen.push(req.headers.get("authorization"));
    const url = new URL(req.url);
    if (url.pathname === "/auth/challenge") return Response.json({ proof: "0".repeat(64) });
    return Response.json({ voices: [] });
  });
  try {
    // The real service ran once (token and server.json exist), then died without cleaning up.
    const server = await startServer(dataDir);
    const real = await runCli(["voices", "--data-dir", dataDir]);
    assert.equal(real.code, 0, real.stderr);
    server.child.kill("SIGKILL");
    await server.child.status;
    await server.stop().catch(() => {});
    const url = `http://127.0.0.1:${squatter.addr.port}`;
    await Deno.writeTextFile(`${dataDir}/server.json`, JSON.stringify({ url, pid: 1 }) + "\n");

    for (const args of [["voices"], ["ui"], ["personas"]]) {
      const out = await runCli([...args, "--data-dir", dataDir]);
      assert.equal(out.code, 1, `${args}: ${out.stdout}${out.stderr}`);
      assert.match(
        out.stderr,
        /^nobody: the program listening at .* did not prove it is this nobody/,
      );
    }
    assert.ok(seen.length >= 3, "the squatter was asked for its proof");
    assert.deepEqual(seen.filter((a) => a !== null), [], "the token was never sent");
  } finally {
    await squatter.shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
});
