/**
 * The sweeps API: start a sweep from a sweep file, list sweeps, inspect one
 * (its trials and best), stop one. Sweeps live in this process's memory;
 * their trials are ordinary runs of the store (durable when it records).
 *
 * @module
 */
import { Hono } from "hono";
import type { ConfigIssue, RunConfig } from "../../jobs/run_config.ts";
import { resolveSweepConfig, type SweepConfig } from "../../jobs/sweep_config.ts";
import { planSweep } from "../../jobs/sweep_plan.ts";
import { ApiError } from "../errors.ts";
import { readJson } from "../middleware/json_body.ts";
import { runLinks } from "../run.ts";
import type { RunService } from "../run_store.ts";
import { bestTrial, runSweep, type SweepRun, type TrialResult } from "../sweep_runner.ts";
import type { Admit } from "./runs.ts";

/** Options of {@linkcode sweepsRoutes}. */
export interface SweepsRoutesOptions {
  store: RunService;
  /** Checks each trial's run config as `POST /api/runs` does (see `admitRunConfig`). */
  admit: Admit;
  /** Trials of one sweep training at once (default 2). */
  concurrency?: number;
  /** Makes sweep ids (default `crypto.randomUUID`). */
  newId?: () => string;
}

interface Sweep {
  readonly id: string;
  readonly createdAt: string;
  readonly config: SweepConfig;
  readonly run: SweepRun;
}

const lines = (issues: readonly ConfigIssue[]) =>
  issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");

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

function summary(sweep: Sweep): Record<string, unknown> {
  const { result } = sweep.run;
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

/** Checks a sweep file and admits each trial's run config; a problem is a 400 naming it. */
async function admitSweep(
  body: unknown,
  admit: Admit,
): Promise<
  { config: SweepConfig; trials: { params: Record<string, unknown>; config: RunConfig }[] }
> {
  const resolved = resolveSweepConfig(body);
  if (!resolved.ok) {
    throw new ApiError(400, "invalid_sweep", `Invalid sweep file: ${lines(resolved.issues)}`, {
      issues: resolved.issues,
    });
  }
  let planned;
  try {
    planned = planSweep(resolved.sweep);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw new ApiError(400, "invalid_sweep", error.message);
  }
  const trials = [];
  for (const trial of planned) {
    const admitted = await admit(trial.input);
    if (!admitted.ok) {
      const issues = admitted.issues.map((i) => ({ ...i, trial: trial.index + 1 }));
      throw new ApiError(
        400,
        "invalid_sweep",
        `Invalid sweep file: trial ${trial.index + 1} (${
          JSON.stringify(trial.params)
        }) is refused: ${lines(admitted.issues)}`,
        { issues },
      );
    }
    trials.push({ params: trial.params, config: admitted.config });
  }
  return { config: resolved.sweep, trials };
}

/**
 * Routes for `/api/sweeps`, to mount with `app.route("/api/sweeps", ...)`.
 * `POST /` takes a sweep file (every trial's run config goes through
 * `admit`, so the server's limits and data-folder rules apply to each);
 * `GET /`, `GET /:id` (trials with params, status, epochs, metric, and the
 * best), `POST /:id/stop`.
 *
 * @example
 * ```ts ignore
 * app.route("/api/sweeps", sweepsRoutes({ store, admit: (body) => admitRunConfig(body, { registry }) }));
 * ```
 */
export function sweepsRoutes(options: SweepsRoutesOptions): Hono {
  const { store, admit, concurrency = 2 } = options;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const sweeps = new Map<string, Sweep>();

  const find = (id: string): Sweep => {
    const sweep = sweeps.get(id);
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
      const { config, trials } = await admitSweep(await readJson(c), admit);
      if (store.full) {
        throw new ApiError(503, "queue_full", "Too many runs are waiting: retry when one finishes");
      }
      const id = newId();
      const sweep = {
        id,
        createdAt: new Date().toISOString(),
        config,
        run: runSweep(config, trials, { store, concurrency }),
      };
      sweeps.set(id, sweep);
      const links = sweepLinks(id);
      return c.json({ id, status: "running", trials: trials.length, links }, 201, {
        Location: links.self,
      });
    })
    .get("/", (c) => c.json({ sweeps: [...sweeps.values()].reverse().map(summary) }))
    .get("/:id", (c) => {
      const sweep = find(c.req.param("id"));
      return c.json({
        ...summary(sweep),
        config: sweep.config,
        trials: sweep.run.result.trials.map(trialJson),
      });
    })
    .post("/:id/stop", async (c) => {
      const sweep = find(c.req.param("id"));
      if (sweep.run.result.status === "done") {
        throw new ApiError(
          409,
          "sweep_finished",
          `Sweep ${sweep.id} is already done: there is nothing to stop`,
        );
      }
      await sweep.run.stop();
      return c.json(summary(sweep));
    });
}
