/**
 * What `deno task sweep` prints: one JSON line per finished trial and one
 * for the sweep (`--json`), or a table for people, one row per finished
 * trial then a leaderboard.
 *
 * @module
 */
import type { SweepConfig } from "../jobs/sweep_config.ts";
import { rankTrials, type SweepResult, type TrialResult } from "../server/sweep_runner.ts";

/**
 * A trial as its `--json` line: `{"type":"trial","id","params","epochs","metric","status"}`,
 * with `stoppedAt` when early termination stopped it and `error` when it has one.
 *
 * @example
 * ```ts
 * import { trialJson } from "./sweep_report.ts";
 * trialJson({ index: 0, id: "r1", params: { lr: 0.1 }, status: "done", epochs: 9, metric: 0.9 });
 * // { type: "trial", id: "r1", params: { lr: 0.1 }, epochs: 9, metric: 0.9, status: "done" }
 * ```
 */
export function trialJson(trial: TrialResult): Record<string, unknown> {
  return {
    type: "trial",
    id: trial.id ?? null,
    params: trial.params,
    epochs: trial.epochs,
    metric: trial.metric ?? null,
    status: trial.status,
    trial: trial.index + 1, // the human table's number
    ...(trial.stoppedAt === undefined ? {} : { stoppedAt: trial.stoppedAt }),
    ...(trial.error ? { error: trial.error } : {}),
  };
}

/**
 * The sweep's final `--json` line: its status and best trial (null when no
 * trial trained to the end), and where its model went.
 *
 * @example
 * ```ts
 * import { sweepJson } from "./sweep_report.ts";
 * sweepJson({ status: "done", trials: [], decisions: [] }).best; // null
 * ```
 */
export function sweepJson(result: SweepResult, out?: string): Record<string, unknown> {
  const best = result.best ? trialJson(result.best) : null;
  if (best) delete best.type;
  return { type: "sweep", status: result.status, best, ...(out ? { out } : {}) };
}

function formatValue(value: unknown): string {
  if (typeof value === "number" && !Number.isInteger(value)) return value.toPrecision(3);
  return typeof value === "string" ? value : JSON.stringify(value);
}

const pad = (text: string, width: number) => text.padEnd(width);

/** The columns of the table: trial number, status, epochs, the metric, then each parameter. */
function columns(sweep: SweepConfig): { title: string; width: number }[] {
  return [
    { title: "trial", width: 6 },
    { title: "status", width: 8 },
    { title: "epochs", width: 7 },
    { title: sweep.metric.name, width: Math.max(12, sweep.metric.name.length + 2) },
    ...Object.keys(sweep.parameters).map((p) => ({ title: p, width: Math.max(10, p.length + 2) })),
  ];
}

/**
 * The table's header line.
 *
 * @example
 * ```ts ignore
 * formatHeader(sweep); // "trial status   epochs valAccuracy  lr"
 * ```
 */
export function formatHeader(sweep: SweepConfig): string {
  return columns(sweep).map((c) => pad(c.title, c.width)).join("").trimEnd();
}

/**
 * One finished trial as a row of the table (a failed trial adds its error).
 *
 * @example
 * ```ts ignore
 * formatTrial(sweep, trial); // "3     stopped 3      0.7083      sigmoid   0.00231"
 * ```
 */
export function formatTrial(sweep: SweepConfig, trial: TrialResult): string {
  const cells = [
    String(trial.index + 1),
    trial.status,
    String(trial.epochs),
    trial.metric === undefined ? "-" : trial.metric.toFixed(4),
    ...Object.keys(sweep.parameters).map((p) => formatValue(trial.params[p])),
  ];
  const row = columns(sweep).map((c, i) => pad(cells[i], c.width)).join("").trimEnd();
  return trial.error ? `${row}  (${trial.error})` : row;
}

/**
 * The leaderboard: the header, then every trial that ran, best first.
 *
 * @example
 * ```ts ignore
 * for (const line of formatLeaderboard(sweep, result)) console.log(line);
 * ```
 */
export function formatLeaderboard(sweep: SweepConfig, result: SweepResult): string[] {
  const ran = result.trials.filter((t) => t.status !== "pending");
  return [
    formatHeader(sweep),
    ...rankTrials(ran, sweep.metric.goal).map((t) => formatTrial(sweep, t)),
  ];
}
