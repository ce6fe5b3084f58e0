/**
 * @module
 * The space bar as a push-to-talk key while a session is live (not while typing in a field), and
 * the session's end when the page goes away.
 */
import { useEffect } from "preact/hooks";

export function useSpaceBar(
  handlers: { live: () => boolean; press: () => void; release: () => void; end: () => void },
): void {
  useEffect(() => {
    const typing = (t: EventTarget | null) =>
      t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement ||
      t instanceof HTMLSelectElement;
    const down = (e: KeyboardEvent) => {
      if (e.code !== "Space" || e.repeat || typing(e.target) || !handlers.live()) return;
      e.preventDefault();
      handlers.press();
    };
    const up = (e: KeyboardEvent) => {
      if (e.code !== "Space" || typing(e.target) || !handlers.live()) return;
      e.preventDefault();
      handlers.release();
    };
    addEventListener("keydown", down);
    addEventListener("keyup", up);
    return () => {
      removeEventListener("keydown", down);
      removeEventListener("keyup", up);
      handlers.end();
    };
  }, []);
}
