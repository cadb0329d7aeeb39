/**
 * Runs a sweep's trials as ordinary runs of a {@linkcode RunService} (the
 * embedded store or Redis): a few at a time, each followed through its
 * event log for the sweep's metric, weak ones stopped at ASHA's rungs.
 *
 * @module
 */
import { createAsha, type Goal, isBetter } from "../jobs/asha.ts";
import type { RunConfig } from "../jobs/run_config.ts";
import type { SweepConfig } from "../jobs/sweep_config.ts";
import type { SweepPoint } from "../jobs/sweep_plan.ts";
import type { EpochSummary, Run, RunStatus } from "./run.ts";
import type { LoggedEvent } from "./run_log.ts";
import type { RunService } from "./run_store.ts";

/** Where a trial is: `pending` until its run is created, then its run's status. */
export type TrialStatus = "pending" | RunStatus;

/** One trial as the sweep reports it. */
export interface TrialResult {
  /** 0-based position in the sweep. */
  readonly index: number;
  /** The run's id, once created. */
  id?: string;
  /** The value of each swept parameter. */
  readonly params: SweepPoint;
  status: TrialStatus;
  /** Epochs trained (the last epoch event's). */
  epochs: number;
  /** The metric's best value over the epochs so far. */
  metric?: number;
  /** The rung epoch where early termination stopped it. */
  stoppedAt?: number;
  /** Why it failed, or why it was stopped when not by a rung. */
  error?: string;
}

/** A sweep's state: `running`, then `done`, or `stopped` when asked to. */
export interface SweepResult {
  status: "running" | "done" | "stopped";
  readonly trials: readonly TrialResult[];
  /** The done trial with the best metric (a stopped one has no model). */
  best?: TrialResult;
}

/** A trial to run: its parameters and its checked run config. */
export interface SweepTrial {
  readonly params: SweepPoint;
  readonly config: RunConfig;
}

/** Options of {@linkcode runSweep}. */
export interface SweepRunnerOptions {
  /** Where the trials run. */
  store: RunService;
  /** Trials created at once (default 2); the next starts when one ends. */
  concurrency?: number;
  /** Called when a trial ends, with its final state. */
  onTrial?: (trial: TrialResult) => void;
}

/** A sweep that is running. */
export interface SweepRun {
  /** The live state (trials change as they train). */
  readonly result: SweepResult;
  /** Stops starting trials and stops those running; resolves once they ended. */
  stop(): Promise<SweepResult>;
  /** Resolves when every trial ended or the sweep was stopped. */
  readonly done: Promise<SweepResult>;
}

/**
 * Trials ranked best first by their metric under `goal`; those without a
 * metric come last, in sweep order.
 *
 * @example
 * ```ts
 * import { rankTrials } from "./sweep_runner.ts";
 * const trials = [
 *   { index: 0, params: {}, status: "done", epochs: 3, metric: 0.8 },
 *   { index: 1, params: {}, status: "stopped", epochs: 1, metric: 0.9 },
 * ] as const;
 * rankTrials(trials, "maximize").map((t) => t.index); // [1, 0]
 * ```
 */
export function rankTrials<T extends Pick<TrialResult, "index" | "metric">>(
  trials: readonly T[],
  goal: Goal,
): T[] {
  const score = (t: T) => t.metric === undefined || Number.isNaN(t.metric) ? undefined : t.metric;
  return [...trials].sort((a, b) => {
    const x = score(a), y = score(b);
    if (x === undefined || y === undefined) {
      return x === y ? a.index - b.index : x === undefined ? 1 : -1;
    }
    return isBetter(x, y, goal) ? -1 : isBetter(y, x, goal) ? 1 : a.index - b.index;
  });
}

/**
 * The best trial that trained to the end (status `done`, so it has a
 * model), by its metric under `goal`.
 *
 * @example
 * ```ts
 * import { bestTrial } from "./sweep_runner.ts";
 * bestTrial([
 *   { index: 0, params: {}, status: "done", epochs: 9, metric: 0.2 },
 *   { index: 1, params: {}, status: "stopped", epochs: 3, metric: 0.1 },
 * ], "minimize")?.index; // 0
 * ```
 */
export function bestTrial(trials: readonly TrialResult[], goal: Goal): TrialResult | undefined {
  const best = rankTrials(trials.filter((t) => t.status === "done"), goal)[0];
  return best?.metric === undefined ? undefined : best;
}

/** Calls `onEvent` for each event of a run's log, past then live; resolves when the log closes. */
function followLog(run: Run, onEvent: (event: LoggedEvent) => void): Promise<void> {
  return new Promise((resolve) => {
    let last = 0;
    const handle = (event: LoggedEvent) => {
      if (event.id <= last) return;
      last = event.id;
      onEvent(event);
    };
    for (const event of run.log.since(0)) handle(event);
    run.log.subscribe({ next: handle, close: () => resolve() });
  });
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Starts a sweep's trials on `store`, at most `concurrency` at a time, in
 * order. Each trial's epoch events feed the sweep's metric (its best value
 * so far) and, with `early_terminate`, ASHA: a trial below the top 1/eta at
 * a rung is stopped there with `store.stop` (status `stopped`, `stoppedAt`
 * the rung). A trial whose events lack the metric is stopped with an
 * error saying so. Only `create`, `stop` and each run's log are used.
 *
 * @example
 * ```ts ignore
 * const sweep = parseSweepConfig(JSON.parse(text));
 * const run = runSweep(sweep, planSweep(sweep), { store, concurrency: 2 });
 * const { best } = await run.done;
 * ```
 */
export function runSweep(
  sweep: SweepConfig,
  trials: readonly SweepTrial[],
  options: SweepRunnerOptions,
): SweepRun {
  const { store, concurrency = 2, onTrial } = options;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new RangeError(
      `Invalid concurrency: ${concurrency} must be a whole number of at least 1`,
    );
  }
  const { name: metric, goal } = sweep.metric;
  const early = sweep.early_terminate;
  const asha = early
    ? createAsha({
      minIter: early.min_iter,
      eta: early.eta,
      epochs: Math.max(...trials.map((t) => t.config.epochs)),
      goal,
    })
    : undefined;
  const result: SweepResult = {
    status: "running",
    trials: trials.map((t, index) => ({ index, params: t.params, status: "pending", epochs: 0 })),
  };
  const running = new Set<string>();
  let next = 0, stopped = false;
  const stopRun = (id: string) => Promise.resolve(store.stop(id)).catch(() => {});

  function onEpoch(trial: TrialResult, data: EpochSummary): void {
    trial.epochs = data.epoch;
    const value = data[metric];
    if (typeof value !== "number") {
      trial.error ??= `its epoch events carry no ${metric}: pick a metric this run reports`;
      return void stopRun(trial.id!);
    }
    if (trial.metric === undefined || isBetter(value, trial.metric, goal)) trial.metric = value;
    if (
      trial.stoppedAt === undefined && asha?.report(trial.id!, data.epoch, trial.metric) === "stop"
    ) {
      trial.stoppedAt = data.epoch;
      void stopRun(trial.id!);
    }
  }

  async function runTrial(trial: TrialResult, config: RunConfig): Promise<void> {
    let run: Run;
    try {
      run = await store.create(config);
    } catch (error) {
      trial.status = "failed";
      trial.error = message(error);
      return onTrial?.(trial);
    }
    trial.id = run.id;
    running.add(run.id);
    if (stopped) void stopRun(run.id); // the sweep was stopped while this run was being created
    await followLog(run, (event) => {
      if (event.event === "status") trial.status = (event.data as { status: RunStatus }).status;
      else if (event.event === "epoch") onEpoch(trial, event.data as EpochSummary);
    });
    running.delete(run.id);
    trial.status = run.status;
    if (run.error && !trial.error) trial.error = run.error;
    onTrial?.(trial);
  }

  async function lane(): Promise<void> {
    while (!stopped && next < trials.length) {
      const index = next++;
      await runTrial(result.trials[index], trials[index].config);
    }
  }

  const done = Promise.all(Array.from({ length: Math.min(concurrency, trials.length) }, lane))
    .then(() => {
      result.status = stopped ? "stopped" : "done";
      const best = bestTrial(result.trials, goal);
      if (best) result.best = best;
      return result;
    });

  return {
    result,
    done,
    stop() {
      stopped = true;
      for (const id of running) void stopRun(id);
      return done;
    },
  };
}
