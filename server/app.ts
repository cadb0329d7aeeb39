/**
 * The Hono app: the runs and sweeps API, live events, the activation gallery and the
 * dashboard, behind the safety middleware. `app.fetch` is the whole
 * contract: `startServer` hands it to Deno.serve, tests call `app.request()`.
 *
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { methodNotAllowed } from "hono/method-not-allowed";
import type { Registry } from "../core/checks/registry.ts";
import type { Asset } from "./assets.ts";
import { ApiError, errorJson, onApiError, onNotFound } from "./errors.ts";
import { localOnly } from "./middleware/local_only.ts";
import { requirePageToken, requireToken } from "./middleware/require_token.ts";
import { activationsRoute } from "./routes/activations.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { eventsRoute, type EventsRouteOptions } from "./routes/events.ts";
import { optionsRoute } from "./routes/options.ts";
import { runsRoutes } from "./routes/runs.ts";
import { liveRunsRoutes } from "./routes/live_runs.ts";
import { type LiveRuns, liveRunSummary } from "./live_runs.ts";
import { sweepsRoutes } from "./routes/sweeps.ts";
import { admitRunConfig, type RunLimits } from "./run_policy.ts";
import type { RunService } from "./run_store.ts";
import { createSweepService, type SweepService } from "./sweep_service.ts";

/** Options of {@linkcode createApp}. */
export interface AppOptions {
  /** Where runs live; see `createRunStore`. */
  store: RunService;
  /**
   * The server's sweeps (`createSweepService`, kept beside the runs); none
   * keeps them in memory, driven by this app.
   */
  sweeps?: SweepService;
  /** Runs that train on posted samples (`createLiveRuns`); none answers a live config with a 409. */
  live?: LiveRuns;
  /** Plugins runs may use and the gallery shows (built-in and `--plugin` ones). */
  registry: Registry;
  /**
   * When set, every request needs it: `/api` as `Authorization: Bearer <token>`
   * (`?token=` on the events stream), the dashboard's pages and assets also
   * as `?token=` or the cookie that sets (see `requirePageToken`).
   */
  token?: string;
  /** Folder that csv/ndjson data sets must live in; none allows built-in data sets only. */
  dataDir?: string;
  /** Origins allowed by CORS; none turns CORS off. */
  corsOrigins?: readonly string[];
  /** Largest request body in bytes (default 64 KiB); past it, 413. Samples bodies have their own. */
  maxBodyBytes?: number;
  /** Largest body of `POST /api/runs/:id/samples` in bytes (default 8 MiB); past it, 413. */
  maxSamplesBytes?: number;
  /** Size limits of a run. */
  limits?: Partial<RunLimits>;
  /** Settings of every SSE stream. */
  sse?: EventsRouteOptions["sse"];
  /** Logs unexpected errors (default `console.error`). */
  logError?: (error: unknown) => void;
  /** Loads the dashboard files (default: read them from disk at the first request). */
  assets?: () => Promise<Map<string, Asset>>;
}

/**
 * Builds the app. Safe by default: without a token, `/api` answers only
 * loopback host names and same-origin writes; with one, every route needs
 * it; CORS is off unless origins are given.
 *
 * @example
 * ```ts ignore
 * import { createApp } from "./app.ts";
 * const app = createApp({ store, registry });
 * const res = await app.request("/api/runs");
 * ```
 */
export function createApp(options: AppOptions): Hono {
  const { store, registry, token, dataDir, corsOrigins = [], maxBodyBytes = 64 * 1024 } = options;
  const app = new Hono();
  app.onError(onApiError({ log: options.logError }));
  app.notFound(onNotFound());
  app.use(methodNotAllowed({
    app,
    onMethodNotAllowed: (c, allowed) => {
      const methods = [...allowed].sort();
      c.header("Allow", methods.join(", "));
      const message = `${c.req.method} is not allowed on ${c.req.path}: use ${
        methods.join(" or ")
      }`;
      return errorJson(c, 405, "method_not_allowed", message, { allow: methods });
    },
  }));
  if (corsOrigins.length > 0) {
    app.use(
      "/api/*",
      cors({
        origin: [...corsOrigins],
        allowMethods: ["GET", "POST", "OPTIONS"],
        allowHeaders: ["Authorization", "Content-Type", "Last-Event-ID"],
        maxAge: 600,
      }),
    );
  }
  if (token !== undefined) {
    app.use("/api/*", requireToken({ token, queryTokenPaths: /^\/api\/runs\/[^/]+\/events$/ }));
    const pageGuard = requirePageToken({ token });
    app.use("*", (c, next) => c.req.path.startsWith("/api/") ? next() : pageGuard(c, next));
  } else app.use("/api/*", localOnly({ allowOrigins: corsOrigins }));
  const limitBody = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new ApiError(
        413,
        "payload_too_large",
        `The body is over ${maxBodyBytes} bytes: send a smaller request`,
        {
          maxBytes: maxBodyBytes,
        },
      );
    },
  });
  // A samples body has its own, larger limit, checked as it streams in (see `readSamples`).
  const samplesPath = /^\/api\/runs\/[^/]+\/samples$/;
  app.use("/api/*", (c, next) => samplesPath.test(c.req.path) ? next() : limitBody(c, next));
  const admit = (body: unknown) =>
    admitRunConfig(body, { registry, dataDir, limits: options.limits });
  const { live } = options;
  app.route(
    "/api/runs",
    liveRunsRoutes({
      live,
      store,
      sse: options.sse,
      limits: options.limits,
      maxSamplesBytes: options.maxSamplesBytes,
    }),
  );
  const others = live && (() => live.list().map(liveRunSummary)); // listed with the store's runs
  app.route("/api/runs", runsRoutes({ store, admit, others }));
  app.route("/api/runs", eventsRoute({ store, sse: options.sse }));
  const sweeps = options.sweeps ?? createSweepService({ store, admit });
  app.route("/api/sweeps", sweepsRoutes({ sweeps }));
  app.route("/api/activations", activationsRoute(registry));
  app.route("/api/options", optionsRoute(registry));
  app.route("/", dashboardRoutes(options.assets));
  return app;
}
