/**
 * Runs a sweep's trials as ordinary runs of a {@linkcode RunService} (the
 * embedded store or Redis): a few at a time, each followed through its
 * event log for the sweep's metric, weak ones stopped at ASHA's rungs.
 *
 * @module
 */
import { createAsha, type Goal, isBetter, type RungDecision } from "../jobs/asha.ts";
import type { RunConfig } from "../jobs/run_config.ts";
import type { SweepConfig } from "../jobs/sweep_config.ts";
import type { SweepPoint } from "../jobs/sweep_plan.ts";
import { type EpochSummary, FINAL_STATUSES, isFinal, type Run, type RunStatus } from "./run.ts";
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

/** One early-termination decision: trial `trial` reached `rung` with its metric at `value`. */
export interface RungRecord {
  /** The trial's 0-based index. */
  readonly trial: number;
  /** The rung's epoch. */
  readonly rung: number;
  /** The trial's metric there (its best so far). */
  readonly value: number;
  readonly decision: RungDecision;
}

/** A sweep's state: `running`, then `done`, or `stopped` when asked to. */
export interface SweepResult {
  status: "running" | "done" | "stopped";
  readonly trials: readonly TrialResult[];
  /** The done trial with the best metric (a stopped one has no model). */
  best?: TrialResult;
  /** Early termination's decisions in the order they were made (ASHA's rung tables). */
  readonly decisions: readonly RungRecord[];
}

/** A trial to run: its parameters and its checked run config. */
export interface SweepTrial {
  readonly params: SweepPoint;
  readonly config: RunConfig;
  /** Why the trial may not start any more (resumed with a server that refuses its config). */
  readonly refused?: string;
}

/** What changed in a sweep: a trial got its run or ended, an epoch, a rung decision, the end. */
export type SweepChange = "trial" | "epoch" | "decision" | "end";

/** Options of {@linkcode runSweep}. */
export interface SweepRunnerOptions {
  /** Where the trials run. */
  store: RunService;
  /** Trials created at once (default 2); the next starts when one ends. */
  concurrency?: number;
  /** Called when a trial ends, with its final state. */
  onTrial?: (trial: TrialResult) => void;
  /** Called after each change of the result (to save it: a decision is told before it acts). */
  onChange?: (change: SweepChange) => void;
  /**
   * Goes on with a sweep as it was saved: its trials (a trial with a run id
   * follows that run of the store, a finished one is kept; a `pending` one
   * gets its run under that id unless the store has it already) and its
   * decisions, replayed into ASHA in their order so its tables are as they were.
   */
  resume?: Pick<SweepResult, "trials" | "decisions">;
  /**
   * Called before a trial's run is created, with its run id in `trial.id`
   * (and so in `result`): saves the sweep if this process still drives it, in
   * one atomic step. False: another process does now; the run is not created
   * and the sweep is abandoned. None: every run is created.
   */
  claim?: (trial: TrialResult, result: SweepResult) => Promise<boolean>;
}

/** A sweep that is running. */
export interface SweepRun {
  /** The live state (trials change as they train). */
  readonly result: SweepResult;
  /** Stops starting trials and stops those running; resolves once they ended. */
  stop(): Promise<SweepResult>;
  /**
   * Lets the sweep go as it is (its status stays `running`, its trials go on
   * in the store) for another process to resume: no more trials, stops or changes.
   */
  abandon(): Promise<void>;
  /** Resolves when every trial ended or the sweep was stopped. */
  readonly done: Promise<SweepResult>;
}

/**
 * The trials of a sweep that has not started: each `pending`, 0 epochs.
 *
 * @example
 * ```ts
 * import { pendingTrials } from "./sweep_runner.ts";
 * pendingTrials([{ params: { lr: 0.1 } }])[0].status; // "pending"
 * ```
 */
export function pendingTrials(trials: readonly Pick<SweepTrial, "params">[]): TrialResult[] {
  return trials.map((t, index) => ({ index, params: t.params, status: "pending", epochs: 0 }));
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

/**
 * Calls `onEvent` for each event of a run's log, past then live; resolves
 * when the log closes, or at once when a function of `cancels` is called.
 */
function followLog(
  run: Run,
  onEvent: (event: LoggedEvent) => void,
  cancels: Set<() => void>,
): Promise<void> {
  return new Promise((resolve) => {
    let last = 0;
    const handle = (event: LoggedEvent) => {
      if (event.id <= last) return;
      last = event.id;
      onEvent(event);
    };
    for (const event of run.log.since(0)) handle(event);
    const cancel = () => {
      cancels.delete(cancel);
      unsubscribe();
      resolve();
    };
    let unsubscribe = () => {}; // a closed log calls close before subscribe returns
    cancels.add(cancel);
    unsubscribe = run.log.subscribe({ next: handle, close: cancel });
  });
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Starts a sweep's trials on `store`, at most `concurrency` at a time, in
 * order. Each trial's epoch events feed the sweep's metric (its best value
 * so far) and, with `early_terminate`, ASHA: a trial below the top 1/eta at
 * a rung is stopped there with `store.stop` (status `stopped`, `stoppedAt`
 * the rung). A trial whose events lack the metric is stopped with an
 * error saying so. Only `create`, `get`, `stop` and each run's log are used.
 *
 * With `resume`, the saved decisions are replayed first; rungs its trials
 * reached since are judged as their events are read again, trial by trial
 * in order, so a sweep resumed from the same state makes the same decisions.
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
  const { store, concurrency = 2, onTrial, onChange, resume, claim } = options;
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
  const decisions: RungRecord[] = [];
  const result: SweepResult = {
    status: "running",
    trials: resume ? resume.trials.map((t) => ({ ...t })) : pendingTrials(trials),
    decisions,
  };
  /** `trial:rung` of every decision made, so a trial is judged once at each rung. */
  const judged = new Set<string>();
  const judge = (trial: number, rung: number, value: number) => {
    judged.add(`${trial}:${rung}`);
    const record = { trial, rung, value, decision: asha!.report(String(trial), rung, value) };
    decisions.push(record);
    return record;
  };
  for (const saved of resume?.decisions ?? []) judge(saved.trial, saved.rung, saved.value);
  const running = new Set<string>();
  const cancels = new Set<() => void>();
  let next = 0, stopped = false, abandoned = false;
  const creating = new Set<Promise<Run | undefined>>();
  const stopRun = (id: string) => Promise.resolve(store.stop(id)).catch(() => {});
  const changed = (change: SweepChange) => {
    if (!abandoned) onChange?.(change);
  };

  function onEpoch(trial: TrialResult, data: EpochSummary): void {
    trial.epochs = data.epoch;
    const value = data[metric];
    if (typeof value !== "number") {
      trial.error ??= `its epoch events carry no ${metric}: pick a metric this run reports`;
      return void stopRun(trial.id!);
    }
    if (trial.metric === undefined || isBetter(value, trial.metric, goal)) trial.metric = value;
    const atRung = asha?.rungs.includes(data.epoch) && !judged.has(`${trial.index}:${data.epoch}`);
    if (trial.stoppedAt !== undefined || !atRung || abandoned) return changed("epoch");
    const { decision } = judge(trial.index, data.epoch, trial.metric);
    if (decision === "stop") trial.stoppedAt = data.epoch;
    changed("decision"); // saved before the stop acts
    if (decision === "stop") void stopRun(trial.id!);
  }

  const onEvent = (trial: TrialResult) => (event: LoggedEvent) => {
    if (event.event === "status") trial.status = (event.data as { status: RunStatus }).status;
    else if (event.event === "epoch") onEpoch(trial, event.data as EpochSummary);
  };

  /**
   * Follows a trial's run to its end. A log that closes before its run ended
   * was replaced (this process adopted the run of a dead one): the store's
   * current run is followed then.
   */
  async function follow(trial: TrialResult, first?: Run): Promise<Run | undefined> {
    let run = first ?? await store.get(trial.id!);
    while (run) {
      await followLog(run, onEvent(trial), cancels);
      if (isFinal(run) || abandoned) return run;
      const current: Run | undefined = await store.get(trial.id!);
      if (current === run) return run;
      run = current;
    }
    return undefined;
  }

  /**
   * Creates a trial's run once its id is claimed: a new id, or the one a
   * driver recorded before it died (its run made already, or not). Undefined
   * when the sweep was lost.
   */
  async function createTrialRun(trial: TrialResult, planned: SweepTrial): Promise<Run | undefined> {
    const recorded = trial.id;
    const existing = recorded === undefined ? undefined : await store.get(recorded);
    if (existing) return existing;
    if (planned.refused) throw new TypeError(planned.refused);
    const id = trial.id = recorded ?? crypto.randomUUID();
    if (claim && !(await claim(trial, result))) {
      trial.id = recorded;
      void abandon();
      return undefined;
    }
    try {
      return await store.create(planned.config, { id });
    } catch (error) {
      // Another driver made it meanwhile (this one stalled past its lease after the claim).
      const made = await store.get(id);
      if (made) return made;
      throw error;
    }
  }

  async function runTrial(trial: TrialResult, planned: SweepTrial): Promise<void> {
    let created: Run | undefined;
    if (trial.status === "pending") {
      try {
        const creation = createTrialRun(trial, planned);
        creating.add(creation);
        created = await creation.finally(() => creating.delete(creation));
      } catch (error) {
        trial.status = "failed";
        trial.error = message(error);
        onTrial?.(trial);
        return void changed("trial");
      }
      if (!created) return;
      trial.id = created.id;
      trial.status = created.status;
      changed("trial");
    }
    const id = trial.id!; // a trial past pending has its run
    running.add(id);
    // The sweep was stopped while this run was being created, or a saved decision did not act yet.
    if (stopped || trial.stoppedAt !== undefined) void stopRun(id);
    const run = await follow(trial, created).catch(() => undefined);
    running.delete(id);
    if (abandoned) return;
    trial.status = run?.status ?? "failed";
    if (!run) trial.error ??= `its run ${id} is gone: removed from the store`;
    else if (run.error && !trial.error) trial.error = run.error;
    onTrial?.(trial);
    changed("trial");
  }

  async function lane(): Promise<void> {
    while (!stopped && !abandoned && next < trials.length) {
      const index = next++;
      const trial = result.trials[index];
      if (!FINAL_STATUSES.includes(trial.status as RunStatus)) await runTrial(trial, trials[index]);
    }
  }

  const done = Promise.all(Array.from({ length: Math.min(concurrency, trials.length) }, lane))
    .then(() => {
      if (abandoned) return result;
      result.status = stopped ? "stopped" : "done";
      const best = bestTrial(result.trials, goal);
      if (best) result.best = best;
      changed("end");
      return result;
    });

  /** Lets the sweep go, once (a lost claim and the service that learns of it both call it). */
  let abandoning: Promise<void> | undefined;
  function abandon(): Promise<void> {
    abandoning ??= (async () => {
      abandoned = true;
      for (const cancel of [...cancels]) cancel();
      // A run being created gets its id into the result, so whoever goes on does not make another.
      await Promise.allSettled([...creating]);
    })();
    return abandoning;
  }

  return {
    result,
    done,
    stop() {
      stopped = true;
      for (const id of running) void stopRun(id);
      return done;
    },
    abandon,
  };
}
