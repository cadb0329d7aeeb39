/**
 * The sweeps API: start a sweep from a sweep file, list sweeps, inspect one
 * (its trials, decisions and best), stop one. Sweeps are kept by a
 * {@linkcode SweepService}: beside the runs when the store records them (the
 * state database or Redis), so they outlive the process; else in memory.
 *
 * @module
 */
import { Hono } from "hono";
import { ApiError } from "../errors.ts";
import { readJson } from "../middleware/json_body.ts";
import { runLinks } from "../run.ts";
import { bestTrial, type TrialResult } from "../sweep_runner.ts";
import type { SweepService, SweepView } from "../sweep_service.ts";

/** Options of {@linkcode sweepsRoutes}. */
export interface SweepsRoutesOptions {
  /** The server's sweeps (see `createSweepService`). */
  sweeps: SweepService;
}

/** Links of a sweep's resources. */
function sweepLinks(id: string): Record<string, string> {
  const self = `/api/sweeps/${encodeURIComponent(id)}`;
  return { self, stop: `${self}/stop` };
}

function trialJson(trial: TrialResult): Record<string, unknown> {
  return {
    ...trial,
    ...(trial.id
      ? { links: { run: runLinks(trial.id).self, model: runLinks(trial.id).model } }
      : {}),
  };
}

function summary(sweep: SweepView): Record<string, unknown> {
  const { result } = sweep;
  const best = result.best ?? bestTrial(result.trials, sweep.config.metric.goal);
  return {
    id: sweep.id,
    ...(sweep.config.name ? { name: sweep.config.name } : {}),
    status: result.status,
    createdAt: sweep.createdAt,
    method: sweep.config.method,
    metric: sweep.config.metric,
    trials: result.trials.length,
    finished: result.trials.filter((t) =>
      t.status === "done" || t.status === "stopped" ||
      t.status === "failed"
    ).length,
    best: best ? trialJson(best) : null,
    links: sweepLinks(sweep.id),
  };
}

/**
 * Routes for `/api/sweeps`, to mount with `app.route("/api/sweeps", ...)`.
 * `POST /` takes a sweep file (every trial's run config goes through the
 * service's `admit`, so the server's limits and data-folder rules apply to
 * each); `GET /`, `GET /:id` (trials with params, status, epochs, metric,
 * the early-termination decisions, and the best), `POST /:id/stop`.
 *
 * @example
 * ```ts ignore
 * app.route("/api/sweeps", sweepsRoutes({ sweeps: createSweepService({ store, admit }) }));
 * ```
 */
export function sweepsRoutes(options: SweepsRoutesOptions): Hono {
  const { sweeps } = options;

  const find = async (id: string): Promise<SweepView> => {
    const sweep = await sweeps.get(id);
    if (!sweep) {
      throw new ApiError(
        404,
        "sweep_not_found",
        `No sweep with id ${JSON.stringify(id)}: list sweeps with GET /api/sweeps`,
        { id },
      );
    }
    return sweep;
  };

  return new Hono()
    .post("/", async (c) => {
      const { id, result } = await sweeps.start(await readJson(c));
      const links = sweepLinks(id);
      return c.json({ id, status: "running", trials: result.trials.length, links }, 201, {
        Location: links.self,
      });
    })
    .get("/", async (c) => c.json({ sweeps: (await sweeps.list()).map(summary) }))
    .get("/:id", async (c) => {
      const sweep = await find(c.req.param("id"));
      return c.json({
        ...summary(sweep),
        config: sweep.config,
        trials: sweep.result.trials.map(trialJson),
        decisions: sweep.result.decisions,
      });
    })
    .post("/:id/stop", async (c) => {
      const sweep = await find(c.req.param("id"));
      if (sweep.result.status === "done") {
        throw new ApiError(
          409,
          "sweep_finished",
          `Sweep ${sweep.id} is already done: there is nothing to stop`,
        );
      }
      return c.json(summary((await sweeps.stop(sweep.id)) ?? sweep));
    });
}
