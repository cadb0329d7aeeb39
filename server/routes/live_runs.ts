/**
 * The live runs API, beside the runs API under `/api/runs`: a run config
 * with `"dataset": {"live": {"inputs": n, "outputs": m}}` starts a run that
 * trains on the samples posted to `POST /api/runs/:id/samples` (NDJSON),
 * reports prequential windows over `GET /api/runs/:id/events` and answers
 * its current model at `GET /api/runs/:id/model` while it trains (its final
 * model once stopped). Requests about other runs pass on to the runs routes.
 *
 * @module
 */
import { type Context, Hono, type Next } from "hono";
import { isLiveConfig } from "../../jobs/live_config.ts";
import { ApiError } from "../errors.ts";
import { admitLiveConfig } from "../live_policy.ts";
import { type LiveRun, type LiveRuns, liveRunSummary } from "../live_runs.ts";
import { DEFAULT_MAX_SAMPLES_BYTES, readSamples } from "../ndjson_samples.ts";
import type { RunLimits } from "../run_policy.ts";
import type { RunService } from "../run_store.ts";
import { runEventStream, type SseStreamOptions } from "../sse_stream.ts";

/** Options of {@linkcode liveRunsRoutes}. */
export interface LiveRunsRoutesOptions {
  /** The live runs; none (the Redis engine) answers a live config with a 409. */
  live?: LiveRuns;
  /** The other runs, to tell "not a live run" (409) from "no such run" (404). */
  store: RunService;
  /** Settings of the events stream. */
  sse?: Omit<SseStreamOptions, "lastEventId" | "signal">;
  /** Size limits of a run (`--max-run-mib` among them), as for other runs. */
  limits?: Partial<RunLimits>;
  /**
   * Largest samples body in bytes (default 8 MiB); the app's body limit
   * does not apply to `POST /api/runs/:id/samples`.
   */
  maxSamplesBytes?: number;
}

/** A live run for `GET /api/runs/:id`: its summary, config and last events. */
function detail(run: LiveRun) {
  return {
    ...liveRunSummary(run),
    config: run.config,
    ...(run.lastBatch ? { lastBatch: run.lastBatch } : {}),
    ...(run.lastWindow ? { lastWindow: run.lastWindow } : {}),
  };
}

/**
 * Routes for live runs, to mount with `app.route("/api/runs", ...)` before
 * the runs routes.
 *
 * @example
 * ```ts ignore
 * app.route("/api/runs", liveRunsRoutes({ live: createLiveRuns(), store }));
 * app.route("/api/runs", runsRoutes({ store, admit }));
 * ```
 */
export function liveRunsRoutes(options: LiveRunsRoutesOptions): Hono {
  const { live, store, sse = {}, limits, maxSamplesBytes = DEFAULT_MAX_SAMPLES_BYTES } = options;
  /** The live run of `:id`, or undefined to let the runs routes answer. */
  const liveRun = (c: Context) => live?.get(c.req.param("id") ?? "");
  const notLive = async (c: Context, next: Next) => {
    const id = c.req.param("id") ?? "";
    if (await store.get(id)) {
      throw new ApiError(
        409,
        "not_live",
        `Run ${
          JSON.stringify(id)
        } trains on a data set, not a live stream: samples go to runs created with "dataset": {"live": {"inputs": n, "outputs": m}}`,
      );
    }
    return next();
  };
  return new Hono()
    .post("/", async (c, next) => {
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return next(); // the runs routes name the problem
      }
      if (!isLiveConfig(body)) return next();
      if (!live) {
        throw new ApiError(
          409,
          "live_runs_unavailable",
          "This server keeps runs in Redis, where live runs are not offered: start `deno task serve` without --redis for live runs",
        );
      }
      const parsed = admitLiveConfig(body, { limits });
      if (!parsed.ok) {
        const lines = parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
        throw new ApiError(400, "invalid_config", `Invalid live run config: ${lines}`, {
          issues: parsed.issues,
        });
      }
      let run: LiveRun;
      try {
        run = await live.create(parsed.config);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof RangeError) throw new ApiError(409, "too_many_live_runs", message);
        throw new ApiError(400, "invalid_config", `Invalid live run config: ${message}`);
      }
      return c.json(detail(run), 201, { Location: `/api/runs/${run.id}` });
    })
    .get("/:id", (c, next) => {
      const run = liveRun(c);
      return run ? c.json(detail(run)) : next();
    })
    .post("/:id/samples", async (c, next) => {
      const run = liveRun(c);
      if (!run) return notLive(c, next);
      if (run.status !== "running") {
        throw new ApiError(
          409,
          "run_finished",
          `Live run ${run.id} is ${run.status}${
            run.error ? ` (${run.error})` : ""
          }: create a new run to keep training`,
        );
      }
      const samples = await readSamples(c.req.raw, run.config.dataset.live, {
        maxBytes: maxSamplesBytes,
      });
      let taken;
      try {
        taken = await run.push(samples); // answered once trained: the client is paced by training
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof RangeError && message.startsWith("Too many samples waiting")) {
          throw new ApiError(429, "too_many_samples_waiting", message, { pending: run.pending });
        }
        throw new ApiError(409, "run_finished", message);
      }
      return c.json({
        accepted: samples.rows,
        trained: taken.trained,
        waiting: taken.waiting,
        pending: run.pending,
        status: run.status,
      });
    })
    .get("/:id/model", async (c, next) => {
      const run = liveRun(c);
      if (!run) return next();
      if (run.status === "running") return c.json(await run.model());
      if (run.finalModel) return c.json(run.finalModel);
      throw new ApiError(
        409,
        "run_finished",
        `Live run ${run.id} is ${run.status}${
          run.error ? ` (${run.error})` : ""
        }: it kept no model (a failed run, or a Worker that did not answer when stopped); create a new run`,
      );
    })
    .post("/:id/stop", async (c, next) => {
      const run = liveRun(c);
      if (!run) return next();
      await live!.stop(run.id);
      return c.json(detail(run));
    })
    .get("/:id/events", (c, next) => {
      const run = liveRun(c);
      if (!run) return next();
      const after = Number(c.req.header("last-event-id") ?? c.req.query("lastEventId") ?? 0);
      const body = runEventStream(run.log, {
        ...sse,
        lastEventId: Number.isInteger(after) ? after : 0,
      });
      return c.body(body, 200, {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache, no-transform",
        "Content-Encoding": "identity",
        "X-Accel-Buffering": "no",
      });
    });
}
