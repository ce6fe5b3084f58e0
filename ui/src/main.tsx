/**
 * @module
 * The dashboard: a hash-routed shell around the Voices, Personas, Talk and Status pages.
 */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { connected, followEvents, notice, report } from "./store.ts";
import { sendJson } from "./api.ts";
import { VoicesPage } from "./pages/voices.tsx";
import { PersonasPage } from "./pages/personas.tsx";
import { TalkPage } from "./pages/talk.tsx";
import { StatusPage } from "./pages/status.tsx";

const PAGES = [
  { path: "voices", label: "Voices" },
  { path: "personas", label: "Personas" },
  { path: "talk", label: "Talk" },
  { path: "status", label: "Status" },
] as const;

function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

/** Forgets this browser's sign-in on the service (the cookie stops working anywhere). */
async function logout() {
  try {
    await sendJson("/ui/logout", "POST");
    document.body.textContent = "Logged out. Run `nobody ui` to sign in again.";
  } catch (e) {
    report(e);
  }
}

function App() {
  const [page = "voices", id = null] = useRoute();
  useEffect(() => followEvents(), []);
  useEffect(() => {
    const label = PAGES.find((p) => p.path === page)?.label ?? "nobody";
    document.title = `${label} · nobody`;
  }, [page]);
  return (
    <>
      <a href="#main" class="skip">Skip to content</a>
      <header class="top">
        <span class="brand">nobody</span>
        <nav aria-label="Main">
          {PAGES.map((p) => (
            <a
              key={p.path}
              href={`#/${p.path}`}
              aria-current={page === p.path ? "page" : undefined}
            >
              {p.label}
            </a>
          ))}
        </nav>
        <span class={`dot ${connected.value ? "on" : ""}`} role="status">
          {connected.value ? "connected" : "connecting…"}
        </span>
        <button type="button" class="logout" onClick={logout}>Log out</button>
      </header>
      {notice.value && (
        <div
          class={`notice ${notice.value.kind}`}
          role={notice.value.kind === "error" ? "alert" : "status"}
        >
          {notice.value.text}
          <button type="button" onClick={() => notice.value = null} aria-label="Dismiss">×</button>
        </div>
      )}
      <main id="main">
        {page === "voices" && <VoicesPage selected={id} />}
        {page === "personas" && <PersonasPage />}
        {page === "talk" && <TalkPage />}
        {page === "status" && <StatusPage />}
        {!PAGES.some((p) => p.path === page) && <p role="alert">No page "{page}".</p>}
      </main>
    </>
  );
}

const root = document.getElementById("app")!;
root.textContent = ""; // the "Loading…" placeholder
render(<App />, root);
