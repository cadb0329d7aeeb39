/**
 * A posted sweep file checked the way `POST /api/runs` checks a run: the
 * file itself, then each trial's run config through the server's `admit`.
 *
 * @module
 */
import type { ConfigIssue } from "../jobs/run_config.ts";
import { resolveSweepConfig, type SweepConfig } from "../jobs/sweep_config.ts";
import { planSweep } from "../jobs/sweep_plan.ts";
import { ApiError } from "./errors.ts";
import type { Admit } from "./routes/runs.ts";
import type { SweepTrial } from "./sweep_runner.ts";

const lines = (issues: readonly ConfigIssue[]) =>
  issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");

/** A sweep file's trials, each admitted or refused (`refused` says why). */
async function admitTrials(
  sweep: SweepConfig,
  admit: Admit,
): Promise<(SweepTrial & { issues?: (ConfigIssue & { trial: number })[] })[]> {
  const trials = [];
  for (const trial of planSweep(sweep)) {
    const admitted = await admit(trial.input);
    if (admitted.ok) {
      trials.push({ params: trial.params, config: admitted.config });
      continue;
    }
    trials.push({
      params: trial.params,
      config: trial.config,
      refused: `trial ${trial.index + 1} (${JSON.stringify(trial.params)}) is refused: ${
        lines(admitted.issues)
      }`,
      issues: admitted.issues.map((i) => ({ ...i, trial: trial.index + 1 })),
    });
  }
  return trials;
}

/**
 * Checks a sweep file and admits each trial's run config; a problem is an
 * {@linkcode ApiError} 400 naming it (the field, or the trial refused).
 * With `partial`, refused trials come back with `refused` set instead (a
 * sweep resumed by a server whose rules changed: those trials fail, the others go on).
 *
 * @example
 * ```ts ignore
 * const { sweep, trials } = await admitSweep(await c.req.json(), admit);
 * ```
 */
export async function admitSweep(
  body: unknown,
  admit: Admit,
  options: { partial?: boolean } = {},
): Promise<{ sweep: SweepConfig; trials: SweepTrial[] }> {
  const resolved = resolveSweepConfig(body);
  if (!resolved.ok) {
    throw new ApiError(400, "invalid_sweep", `Invalid sweep file: ${lines(resolved.issues)}`, {
      issues: resolved.issues,
    });
  }
  let trials;
  try {
    trials = await admitTrials(resolved.sweep, admit);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw new ApiError(400, "invalid_sweep", error.message);
  }
  const refused = trials.find((trial) => trial.refused);
  if (refused && !options.partial) {
    throw new ApiError(400, "invalid_sweep", `Invalid sweep file: ${refused.refused}`, {
      issues: refused.issues,
    });
  }
  return {
    sweep: resolved.sweep,
    trials: trials.map(({ issues: _, ...trial }) => trial),
  };
}
