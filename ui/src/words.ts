/**
 * @module
 * Numbers as a person reads them: "1 sample", "2 samples", "16 min".
 */

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A length of time, to the unit that matters: "42 s", "16 min", "3 h 5 min", "2 days 4 h". */
export function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ${min % 60} min`;
  const days = Math.floor(h / 24);
  return `${plural(days, "day")} ${h % 24} h`;
}
