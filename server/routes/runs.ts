/**
 * The runs API: create, list, inspect, stop, download a run's model and read its insights.
 *
 * @module
 */
import { Hono } from "hono";
import type { ConfigIssue, RunConfig } from "../../jobs/run_config.ts";
import { ApiError } from "../errors.ts";
import { readJson } from "../middleware/json_body.ts";
import {
  FINAL_STATUSES,
  isFinal,
  type Run,
  runDetail,
  runLinks,
  type RunStatus,
  type RunSummary,
  runSummary,
} from "../run.ts";
import type { RunService } from "../run_store.ts";

/** Checks a request body as a run config (see `admitRunConfig`). */
export type Admit = (
  body: unknown,
) => Promise<{ ok: true; config: RunConfig } | { ok: false; issues: ConfigIssue[] }>;

/** Options of {@linkcode runsRoutes}. */
export interface RunsRoutesOptions {
  store: RunService;
  admit: Admit;
  /** Runs kept outside the store (the live runs), listed beside its own. */
  others?: () => readonly RunSummary[];
}

const STATUSES: readonly RunStatus[] = ["queued", "running", ...FINAL_STATUSES];

/**
 * Finds a run by the `:id` path parameter, or throws a 404 naming it.
 *
 * @example
 * ```ts ignore
 * app.get("/api/runs/:id", async (c) => c.json(runDetail(await findRun(store, c.req.param("id")))));
 * ```
 */
export async function findRun(store: RunService, id: string): Promise<Run> {
  const run = await store.get(id);
  if (!run) {
    throw new ApiError(
      404,
      "run_not_found",
      `No run with id ${JSON.stringify(id)}: list runs with GET /api/runs`,
      { id },
    );
  }
  return run;
}

/**
 * Routes for `/api/runs`, to mount with `app.route("/api/runs", ...)`.
 *
 * @example
 * ```ts ignore
 * app.route("/api/runs", runsRoutes({ store, admit: (body) => admitRunConfig(body, { registry }) }));
 * ```
 */
export function runsRoutes(options: RunsRoutesOptions): Hono {
  const { store, admit, others = () => [] } = options;
  return new Hono()
    .post("/", async (c) => {
      const result = await admit(await readJson(c));
      if (!result.ok) {
        const lines = result.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
        throw new ApiError(400, "invalid_config", `Invalid run config: ${lines.join("; ")}`, {
          issues: result.issues,
        });
      }
      if (store.full) {
        throw new ApiError(503, "queue_full", "Too many runs are waiting: retry when one finishes");
      }
      const run = await store.create(result.config);
      const links = runLinks(run.id);
      return c.json({ id: run.id, status: run.status, links }, 201, { Location: links.self });
    })
    .get("/", (c) => {
      const status = c.req.query("status");
      if (status !== undefined && !STATUSES.includes(status as RunStatus)) {
        throw new ApiError(
          400,
          "invalid_query",
          `status must be one of ${STATUSES.join(", ")}, got ${JSON.stringify(status)}`,
        );
      }
      const runs = [...store.list().map(runSummary), ...others()]
        .filter((r) => status === undefined || r.status === status)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt)); // newest first; ties keep their order
      return c.json({ runs });
    })
    .get("/:id", async (c) => c.json(runDetail(await findRun(store, c.req.param("id")))))
    .post("/:id/stop", async (c) => {
      const run = await findRun(store, c.req.param("id"));
      if (run.status === "done" || run.status === "failed") {
        throw new ApiError(
          409,
          "run_finished",
          `Run ${run.id} is already ${run.status}: there is nothing to stop`,
          {
            status: run.status,
          },
        );
      }
      try {
        await store.stop(run.id);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        throw new ApiError(409, "run_elsewhere", error.message, { status: run.status });
      }
      return c.json(runSummary(run), isFinal(run) ? 200 : 202);
    })
    .get("/:id/model", async (c) => {
      const run = await findRun(store, c.req.param("id"));
      // A done run's model, or the weights a stopped run reached.
      const model = run.status === "done" || run.status === "stopped"
        ? await store.model(run.id)
        : undefined;
      if (!model) {
        throw new ApiError(
          409,
          "model_not_ready",
          run.status === "stopped"
            ? `Run ${run.id} was stopped before it kept any weights: there is no model`
            : `Run ${run.id} is ${run.status}: its model is available once it is done or stopped`,
          {
            status: run.status,
          },
        );
      }
      c.header("Content-Disposition", `attachment; filename="nagare-${run.id}.json"`);
      return c.json(model);
    })
    .get("/:id/insights", async (c) => {
      const run = await findRun(store, c.req.param("id"));
      if (run.status !== "done") {
        throw new ApiError(
          409,
          "insights_not_ready",
          `Run ${run.id} is ${run.status}: its insights are computed once it is done`,
          { status: run.status },
        );
      }
      const end = run.log.since(0).findLast((e) => e.event === "end")?.data as
        | { insights?: unknown }
        | undefined;
      if (!end?.insights) {
        throw new ApiError(
          404,
          "no_insights",
          `Run ${run.id} has no insights: they are computed on a data set's test samples (iris, xor, mnist), or on a classifier's validation rows of a csv or ndjson file`,
        );
      }
      return c.json(end.insights);
    });
}
