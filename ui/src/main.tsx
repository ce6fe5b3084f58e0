/**
 * @module
 * The dashboard: a hash-routed shell around the Voices, Personas, Talk and Status pages.
 */
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { checkSignIn, connected, followEvents, notice, report, signedIn } from "./store.ts";
import { SignIn } from "./components/sign_in.tsx";
import { sendJson } from "./api.ts";
import { VoicesPage } from "./pages/voices.tsx";
import { PersonasPage } from "./pages/personas.tsx";
import { TalkPage } from "./pages/talk.tsx";
import { DictatePage } from "./pages/dictate.tsx";
import { StatusPage } from "./pages/status.tsx";

const PAGES = [
  { path: "voices", label: "Voices" },
  { path: "personas", label: "Personas" },
  { path: "talk", label: "Talk" },
  { path: "dictate", label: "Dictate" },
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

function App() {
  const [loggedOut, setLoggedOut] = useState(false);
  useEffect(() => void checkSignIn(), []);
  /** Forgets this browser's sign-in on the service (the cookie stops working anywhere). */
  async function logout() {
    try {
      await sendJson("/ui/logout", "POST");
      setLoggedOut(true);
      signedIn.value = false;
    } catch (e) {
      report(e);
    }
  }
  if (signedIn.value === null) return <p class="loading">Loading the dashboard…</p>;
  if (signedIn.value === false) {
    return <SignIn loggedOut={loggedOut} onSignedIn={() => checkSignIn()} />;
  }
  return <Dashboard onLogout={logout} />;
}

function Dashboard(props: { onLogout: () => void }) {
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
        <button type="button" class="logout" onClick={props.onLogout}>Log out</button>
      </header>
      {notice.value && (
        <div
          class={`notice ${notice.value.kind}`}
          role={notice.value.kind === "error" ? "alert" : "status"}
        >
          <span>{notice.value.text}</span>
          <button type="button" onClick={() => notice.value = null} aria-label="Dismiss">×</button>
        </div>
      )}
      <main id="main">
        {page === "voices" && <VoicesPage selected={id} />}
        {page === "personas" && <PersonasPage />}
        {page === "talk" && <TalkPage />}
        {page === "dictate" && <DictatePage />}
        {page === "status" && <StatusPage />}
        {!PAGES.some((p) => p.path === page) && <p role="alert">No page "{page}".</p>}
      </main>
    </>
  );
}

const root = document.getElementById("app")!;
root.textContent = ""; // the "Loading…" placeholder
render(<App />, root);
