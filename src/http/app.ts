/**
 * @module
 * The Hono application: security in front of every route, JSON errors from one place.
 */
import { Hono } from "hono";
import type { PersonaService } from "../app/persona_service.ts";
import type { VoiceService } from "../app/voice_service.ts";
import type { SessionManager } from "../app/session_manager.ts";
import type { TrainingService } from "../app/training_service.ts";
import type { EventBus } from "../app/event_bus.ts";
import type { DomainEvent } from "../domain/events.ts";
import { eventRoutes, sessionRoutes } from "./routes/sessions.ts";
import { sessionSocket } from "./ws_session.ts";
import type { Logger } from "../ports/logger.ts";
import { notFoundRoute, onError } from "./errors.ts";
import { personaRoutes } from "./routes/personas.ts";
import { type StatusRouteDeps, statusRoutes } from "./routes/status.ts";
import { trainingRoutes } from "./routes/training.ts";
import { type UiAsset, uiRoutes } from "./routes/ui.ts";
import { voiceRoutes } from "./routes/voices.ts";
import { openAiAudioRoutes } from "./routes/openai_audio.ts";
import { openAiModelRoutes } from "./routes/openai_models.ts";
import type { AudioEncoder } from "../ports/audio_encoder.ts";
import type { SpeechService } from "../app/speech_service.ts";
import { security } from "./security.ts";
import { authRoutes } from "./routes/auth.ts";
import type { ClientGone } from "./client_gone.ts";
import { toWireCase } from "./wire_case.ts";
import type { DashboardLogin } from "../app/dashboard_login.ts";

export interface HttpAppDeps {
  readonly voices: VoiceService;
  readonly personas: PersonaService;
  readonly sessions: SessionManager;
  readonly training: TrainingService;
  readonly speech: SpeechService;
  /** For MP3, FLAC, Opus and AAC speech. */
  readonly encoder: AudioEncoder;
  readonly events: EventBus<DomainEvent>;
  readonly status: () => Promise<unknown>;
  readonly llmStatus: () => Promise<unknown>;
  readonly testModel: StatusRouteDeps["testModel"];
  readonly devices: () => Promise<unknown[]>;
  readonly token: string;
  readonly login: DashboardLogin;
  readonly cookieName: string;
  readonly maxUploadBytes: number;
  readonly uiAssets: ReadonlyMap<string, UiAsset>;
  readonly logger: Logger;
  /** Requests whose connection ended, as the connection guard reports them. */
  readonly clientGone?: ClientGone;
}

const isPublic = (method: string, path: string) =>
  ((method === "GET" || method === "HEAD") &&
    (path === "/" || path === "/ui" || path === "/auth/challenge" ||
      (path.startsWith("/ui/") && path !== "/ui/login-codes"))) ||
  (method === "POST" && (path === "/ui/login" || path === "/ui/logout"));

export function createHttpApp(deps: HttpAppDeps): Hono {
  const app = new Hono();
  app.onError(onError(deps.logger));
  app.notFound(notFoundRoute);
  app.use(...security({
    token: deps.token,
    cookieName: deps.cookieName,
    isSignedIn: (id) => deps.login.isSignedIn(id),
    isPublic,
  }));
  // One naming convention for every JSON answer of the nobody API (the /v1 routes follow OpenAI's,
  // which is snake_case too): keys are converted here, once.
  app.use(async (c, next) => {
    await next();
    if (c.req.path.startsWith("/v1/")) return;
    if (!/^application\/json\b/.test(c.res.headers.get("content-type") ?? "")) return;
    const body = toWireCase(await c.res.json());
    const headers = new Headers(c.res.headers);
    headers.delete("content-length");
    c.res = new Response(JSON.stringify(body), { status: c.res.status, headers });
  });
  app.get("/", (c) => c.redirect("/ui/", 302));
  app.route("/auth", authRoutes({ token: deps.token }));
  app.route(
    "/ui",
    uiRoutes({ login: deps.login, cookieName: deps.cookieName, assets: deps.uiAssets }),
  );
  app.route(
    "/voices",
    voiceRoutes({
      voices: deps.voices,
      training: deps.training,
      maxUploadBytes: deps.maxUploadBytes,
      clientGone: deps.clientGone,
    }),
  );
  app.route("/personas", personaRoutes({ personas: deps.personas }));
  app.route("/training", trainingRoutes({ training: deps.training }));
  app.route(
    "/status",
    statusRoutes({
      status: deps.status,
      llmStatus: deps.llmStatus,
      testModel: deps.testModel,
      devices: deps.devices,
    }),
  );
  app.route("/sessions", sessionRoutes({ sessions: deps.sessions, events: deps.events }));
  app.route("/events", eventRoutes({ events: deps.events }));
  app.route(
    "/v1/audio",
    openAiAudioRoutes({
      speech: deps.speech,
      maxUploadBytes: deps.maxUploadBytes,
      encoder: deps.encoder,
      clientGone: deps.clientGone,
    }),
  );
  app.route("/v1/models", openAiModelRoutes());
  app.get("/ws/session/:id", sessionSocket({ sessions: deps.sessions, events: deps.events }));
  return app;
}
