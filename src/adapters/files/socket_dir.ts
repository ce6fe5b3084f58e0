/**
 * @module
 * Where the service's Unix sockets live (the workers' and the HTTP server's): a private folder.
 * Unix socket paths are limited to about 100 bytes, so a deep data dir falls back to a private
 * temp folder.
 */

export async function socketDirectory(dataDir: string): Promise<string> {
  const preferred = `${dataDir}/run`;
  if (`${preferred}/stt.sock`.length <= 100) {
    await Deno.mkdir(preferred, { recursive: true, mode: 0o700 });
    await Deno.chmod(preferred, 0o700);
    return preferred;
  }
  return await Deno.makeTempDir({ prefix: "nobody-run-" });
}
