/**
 * @module
 * Seeded random inputs for the fuzz tests: the seed is printed, so a failure can be replayed with
 * FUZZ_SEED=<seed>.
 */

export interface Rng {
  readonly seed: number;
  next(): number;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Uint8Array<ArrayBuffer>;
  text(max: number): string;
  json(depth?: number): unknown;
}

export function rng(seed = Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 2 ** 31)): Rng {
  let a = seed >>> 0;
  // mulberry32
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]) => items[int(items.length)];
  const CHARS = [
    "a",
    "Z",
    "0",
    " ",
    "/",
    "\\",
    ".",
    "%",
    "\u0000",
    "\u202e",
    "é",
    "日",
    "😀",
    '"',
    "<",
  ];
  const text = (max: number) => Array.from({ length: int(max + 1) }, () => pick(CHARS)).join("");
  const json = (depth = 3): unknown => {
    switch (int(depth > 0 ? 8 : 6)) {
      case 0:
        return null;
      case 1:
        return next() < 0.5;
      case 2:
        return pick([0, -1, 1e308, -1e-308, 3.5, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1]);
      case 3:
        return text(40);
      case 4:
        return pick(["voice_aaaaaaaaaaaaaaaaaaaa", "persona_aaaaaaaaaaaaaaaaaaaa", "ollama", ""]);
      case 5:
        return "x".repeat(pick([0, 81, 2_001, 70_000]));
      case 6:
        return Array.from({ length: int(5) }, () => json(depth - 1));
      default: {
        const keys = [
          "name",
          "description",
          "systemPrompt",
          "llm",
          "voiceId",
          "provider",
          "model",
          "baseUrl",
          "temperature",
          "consent",
          "input",
          "voice",
          "response_format",
          "speed",
          "audio",
          "persona_id",
          "voice_id",
          "sample_rate",
          "phrases",
          "type",
          "__proto__",
          "constructor",
          text(8),
        ];
        return Object.fromEntries(
          Array.from({ length: int(6) }, () => [pick(keys), json(depth - 1)]),
        );
      }
    }
  };
  return {
    seed,
    next,
    int,
    pick,
    bytes: (n) => Uint8Array.from({ length: n }, () => int(256)),
    text,
    json,
  };
}
