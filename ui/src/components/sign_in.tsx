/**
 * @module
 * The screen of a browser that is not signed in: how to get in (`nobody ui --open`, the link that
 * `nobody serve` printed, or a one-time code pasted here), instead of an empty dashboard.
 */
import { useState } from "preact/hooks";
import { message, sendJson } from "../api.ts";

export function SignIn(props: { onSignedIn: () => void; loggedOut?: boolean }) {
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // A pasted link works as well as the bare code.
      const bare = code.trim().replace(/^.*[?&]code=/, "");
      await sendJson("/ui/login", "POST", { code: bare });
      props.onSignedIn();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <section class="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to nobody</h1>
        {props.loggedOut && <p role="status">You are logged out.</p>}
        <p>
          This dashboard holds your voices and conversations, so it opens only in a browser you
          signed in. On this computer, run:
        </p>
        <pre><code>nobody ui --open</code></pre>
        <p class="muted">
          It opens a one-time link in your browser. <code>nobody serve</code>{" "}
          prints such a link when it starts, too.
        </p>
        <form onSubmit={submit} aria-label="Sign in with a code">
          <label>
            Or paste a one-time code (from <code>nobody ui</code>)
            <input
              name="code"
              autocomplete="one-time-code"
              required
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={busy}>Sign in</button>
          {error && <p role="alert" class="error">{error}</p>}
        </form>
      </section>
    </main>
  );
}
