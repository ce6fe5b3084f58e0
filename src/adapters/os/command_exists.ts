/**
 * @module
 * Whether a command runs on this machine (`<command> --version` succeeds).
 */

export async function commandExists(command: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(command, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}
