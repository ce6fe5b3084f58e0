/**
 * @module
 * What a person can do about an error, by its code: the service's message says what happened,
 * this says where to look next.
 */
const HINTS: Record<string, string> = {
  unavailable:
    "A speech engine or the language model is not answering: the Status page shows which; try again in a moment.",
  conflict: "Choose another voice, or train this one on the Voices page.",
  not_found: "It was deleted elsewhere; reload the page.",
  too_many_requests: "Too many conversations are open: end one and start again.",
  insufficient_storage: "The disk is full: delete samples or voices to make room.",
  offline: "Start it with `nobody serve`, then reload.",
};

export function hintFor(code: string): string | null {
  return HINTS[code] ?? null;
}
