/**
 * @module
 * The dashboard's static files and its login: the link `nobody ui` prints carries the API token
 * once; it is swapped for an HttpOnly SameSite=Strict cookie and removed from the address bar.
 */
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { errorResponse } from "../errors.ts";
import { sameSecret } from "../security.ts";

export interface UiAsset {
  readonly contentType: string;
  readonly body: Uint8Array<ArrayBuffer>;
}

export interface UiRouteDeps {
  readonly token: string;
  readonly cookie: { readonly name: string; readonly value: string };
  /** Paths relative to /ui/, "index.html" for the root. */
  readonly assets: ReadonlyMap<string, UiAsset>;
}

export function uiRoutes(deps: UiRouteDeps): Hono {
  const app = new Hono();

  app.get("/login", (c) => {
    const token = c.req.query("token") ?? "";
    if (!sameSecret(token, deps.token)) {
      return errorResponse({
        code: "unauthorized",
        message: "the login link is not valid; run `nobody ui` for a fresh one",
      });
    }
    setCookie(c, deps.cookie.name, deps.cookie.value, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      maxAge: 400 * 24 * 60 * 60, // browsers cap cookie lifetime at 400 days
    });
    return c.redirect("/ui/", 303);
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
