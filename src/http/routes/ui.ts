/**
 * @module
 * The dashboard's static files, its sign-in and its logout. The link `nobody ui` prints carries a
 * one-time code, never the API token; it is swapped for an HttpOnly SameSite=Strict cookie holding
 * a random session id, and removed from the address bar.
 */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { DashboardLogin } from "../../app/dashboard_login.ts";
import { errorResponse } from "../errors.ts";
import { readOptionalJson } from "../body.ts";

export interface UiAsset {
  readonly contentType: string;
  readonly body: Uint8Array<ArrayBuffer>;
}

export interface UiRouteDeps {
  readonly login: DashboardLogin;
  readonly cookieName: string;
  /** Paths relative to /ui/, "index.html" for the root. */
  readonly assets: ReadonlyMap<string, UiAsset>;
}

const COOKIE = {
  httpOnly: true,
  sameSite: "Strict",
  path: "/",
  maxAge: 400 * 24 * 60 * 60, // browsers cap cookie lifetime at 400 days
} as const;

export function uiRoutes(deps: UiRouteDeps): Hono {
  const app = new Hono();

  const invalid = () =>
    errorResponse({
      code: "unauthorized",
      message:
        "the sign-in code is not valid, was used already or has expired; run `nobody ui` for a fresh one",
    });

  app.get("/login", (c) => {
    const code = c.req.query("code") ?? "";
    if (c.req.query("token") !== undefined && code === "") {
      return errorResponse({
        code: "unauthorized",
        message: "sign-in links carry a one-time code now, never the API token; run `nobody ui`",
      });
    }
    const session = deps.login.redeem(code);
    if (session !== null) setCookie(c, deps.cookieName, session, COOKIE);
    // A browser already signed in that opens a stale link still gets its dashboard.
    else if (!deps.login.isSignedIn(getCookie(c, deps.cookieName) ?? "")) return invalid();
    return c.redirect("/ui/", 303);
  });

  /** The sign-in screen's form: a code pasted from `nobody ui`. */
  app.post("/login", async (c) => {
    const body = await readOptionalJson(c.req.raw) as { code?: unknown };
    const session = typeof body?.code === "string" ? deps.login.redeem(body.code.trim()) : null;
    if (session === null) return invalid();
    setCookie(c, deps.cookieName, session, COOKIE);
    return c.body(null, 204);
  });

  app.post("/logout", (c) => {
    deps.login.logout(getCookie(c, deps.cookieName) ?? "");
    deleteCookie(c, deps.cookieName, { path: "/" });
    return c.body(null, 204);
  });

  /** For `nobody ui` (with the API token): a code that signs one browser in within a minute. */
  app.post("/login-codes", (c) => {
    const { code, expiresAt } = deps.login.issueCode();
    return c.json({ code, expiresAt, path: `/ui/login?code=${code}` }, 201);
  });

  app.get("/*", (c) => {
    const path = c.req.path.replace(/^\/ui\/?/, "") || "index.html";
    const asset = deps.assets.get(path) ?? deps.assets.get("index.html");
    if (!asset) return errorResponse({ code: "not_found", message: `no dashboard file ${path}` });
    return c.body(asset.body, 200, {
      "Content-Type": asset.contentType,
      "Content-Security-Policy":
        "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self' blob:; img-src 'self' data: blob:; frame-ancestors 'none'",
    });
  });

  return app;
}
