/**
 * A server's sweeps: started from a posted sweep file, kept in a
 * {@linkcode SweepStore} beside the runs, and driven by one process at a
 * time, the one holding the sweep's lease. A process that starts (or
 * outlives another) resumes every running sweep nobody drives: its trials
 * are found among the store's runs, ASHA's decisions are replayed, and
 * early termination goes on.
 *
 * @module
 */
import { hostname } from "node:os";
import { parseSweepConfig, type SweepConfig } from "../jobs/sweep_config.ts";
import { admitSweep } from "./admit_sweep.ts";
import { ApiError } from "./errors.ts";
import type { Admit } from "./routes/runs.ts";
import { ownerGone } from "./run_records.ts";
import type { RunService } from "./run_store.ts";
import {
  bestTrial,
  pendingTrials,
  runSweep,
  type SweepResult,
  type SweepRun,
  type SweepTrial,
} from "./sweep_runner.ts";
import {
  memorySweepStore,
  type SweepRecord,
  type SweepState,
  type SweepStore,
} from "./sweep_store.ts";

/** A sweep as the API shows it. */
export interface SweepView {
  readonly id: string;
  readonly createdAt: string;
  readonly config: SweepConfig;
  /** Live where this process drives it, else as its driver last saved it. */
  readonly result: SweepResult;
}

/** Options of {@linkcode createSweepService}. */
export interface SweepServiceOptions {
  /** Where the trials run. */
  store: RunService;
  /** Checks each trial's run config as `POST /api/runs` does (see `admitRunConfig`). */
  admit: Admit;
  /**
   * Where sweeps are kept and leased (the state database or Redis); then
   * leases are renewed and orphaned sweeps resumed every fifth of `leaseMs`.
   * None keeps them in this process's memory.
   */
  sweeps?: SweepStore;
  /** Trials of one sweep training at once (default 2). */
  concurrency?: number;
  /** This process's lease owner id (default `host:pid:random`). */
  owner?: string;
  /** How long a sweep's lease lasts without renewal (default 10 s). */
  leaseMs?: number;
  /** Clock of the leases (default `Date.now`). */
  now?: () => number;
  /** Resolves when the run store has adopted the runs of dead processes: sweeps resume after. */
  ready?: Promise<unknown>;
  /** Makes sweep ids (default `crypto.randomUUID`). */
  newId?: () => string;
}

/** The sweeps of a server. */
export interface SweepService {
  /** Admits a sweep file (an ApiError 400 names what is wrong) and starts it. */
  start(file: unknown): Promise<SweepView>;
  /** Every sweep, newest first. */
  list(): Promise<SweepView[]>;
  get(id: string): Promise<SweepView | undefined>;
  /**
   * Stops a running sweep: here, once its trials ended; driven elsewhere,
   * its driver is asked to and does within a lease renewal.
   */
  stop(id: string): Promise<SweepView | undefined>;
  /** Saves and lets go of the sweeps driven here (their trials go on, for the next process). */
  close(): Promise<void>;
}

interface Driven {
  readonly view: SweepView;
  readonly run: SweepRun;
  /** An epoch changed the result since the last save. */
  dirty: boolean;
  saving: Promise<unknown>;
}

/**
 * Creates the sweeps of a server. With `sweeps`, sweeps outlive the
 * process and those of a dead one are taken over once `ready` resolves.
 *
 * @example
 * ```ts ignore
 * const sweeps = createSweepService({ store, admit, sweeps: stateDbSweepStore(records.db) });
 * const { id } = await sweeps.start(sweepFile);
 * ```
 */
export function createSweepService(options: SweepServiceOptions): SweepService {
  const { store, admit, concurrency = 2, leaseMs = 10_000, now = Date.now } = options;
  const kept = options.sweeps ?? memorySweepStore();
  const owner = options.owner ?? `${hostname()}:${Deno.pid}:${crypto.randomUUID().slice(0, 8)}`;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const driven = new Map<string, Driven>();
  /** Sweep configs by id, and the ids of sweeps this process cannot resume. */
  const configs = new Map<string, SweepConfig>(), unreadable = new Set<string>();
  let closed = false;

  const stateOf = ({ status, trials, decisions }: SweepResult) => ({ status, trials, decisions });

  function save(sweep: Driven): Promise<unknown> {
    sweep.dirty = false;
    const { id } = sweep.view;
    // Not chained: the store takes its snapshot now, so a decision is saved before it acts.
    const saved = kept.save(id, stateOf(sweep.run.result), owner).then((held) => {
      if (!held && driven.get(id) === sweep) lose(sweep);
    }, (error) => console.error(`nagare: sweep ${id} was not saved: ${(error as Error).message}`));
    sweep.saving = Promise.all([sweep.saving, saved]);
    return sweep.saving;
  }

  /**
   * Records a trial's run id before its run is created, if this process still
   * holds the lease: one that stalled past it lets the sweep go and creates nothing.
   */
  async function claimTrial(id: string, result: SweepResult, sweep: Driven): Promise<boolean> {
    const held = await kept.claim(id, stateOf(result), owner, now());
    if (!held && driven.get(id) === sweep) lose(sweep);
    return held;
  }

  /** Another process drives the sweep now (this one stalled past its lease): let it go here. */
  function lose(sweep: Driven): void {
    void sweep.run.abandon();
    driven.delete(sweep.view.id);
  }

  function drive(
    record: Pick<SweepRecord, "id" | "createdAt">,
    config: SweepConfig,
    trials: readonly SweepTrial[],
    resume: SweepState,
  ): Driven {
    const sweep = { dirty: false, saving: Promise.resolve() } as Partial<Driven> as Driven;
    const run = runSweep(config, trials, {
      store,
      concurrency,
      resume,
      onChange: (change) => void (change === "epoch" ? (sweep.dirty = true) : save(sweep)),
      claim: (_trial, result) => claimTrial(record.id, result, sweep),
    });
    Object.assign(sweep, { run, view: { ...record, config, result: run.result } });
    configs.set(record.id, config);
    driven.set(record.id, sweep);
    void run.done.then(async () => {
      if (driven.get(record.id) !== sweep || run.result.status === "running") return;
      await sweep.saving;
      driven.delete(record.id);
      await kept.release(record.id, owner).catch(() => {});
    });
    return sweep;
  }

  /** Takes a running sweep nobody drives (its driver died) and goes on with it. */
  async function claim(record: SweepRecord): Promise<void> {
    const previous = record.owner;
    const until = now() + leaseMs;
    const got = previous !== undefined && previous !== owner && ownerGone(previous)
      ? await kept.takeOver(record.id, owner, until, previous)
      : await kept.lease(record.id, owner, until, now());
    if (!got || closed || driven.has(record.id)) return;
    try {
      const { sweep, trials } = await admitSweep(record.file, admit, { partial: true });
      if (trials.length !== record.trials.length) {
        throw new TypeError(`it plans ${trials.length} trials, ${record.trials.length} were saved`);
      }
      const resumed = drive(record, sweep, trials, record);
      if (record.stopRequested) void resumed.run.stop();
    } catch (error) {
      unreadable.add(record.id);
      await kept.release(record.id, owner);
      console.error(
        `nagare: sweep ${record.id} cannot be resumed here: ${(error as Error).message}`,
      );
    }
  }

  /** Renews the leases of the sweeps driven here, acts on stop requests, resumes orphans. */
  async function tick(): Promise<void> {
    for (const record of await kept.list()) {
      if (closed) return;
      const sweep = driven.get(record.id);
      if (sweep) {
        if (!(await kept.lease(record.id, owner, now() + leaseMs, now()))) lose(sweep);
        else if (record.stopRequested && sweep.run.result.status === "running") {
          void sweep.run.stop();
        } else if (sweep.dirty) void save(sweep);
      } else if (record.status === "running" && !unreadable.has(record.id)) {
        const expired = record.leaseUntil === undefined || record.leaseUntil < now();
        if (expired || ownerGone(record.owner ?? "")) await claim(record);
      }
    }
  }

  let timer: ReturnType<typeof setInterval> | undefined;
  let ticking = Promise.resolve();
  const schedule = () => {
    ticking = ticking.then(tick).catch((error) =>
      console.error(`nagare: sweeps could not be read: ${(error as Error).message}`)
    );
  };
  if (options.sweeps) {
    void Promise.resolve(options.ready).then(() => {
      if (closed) return;
      schedule();
      timer = setInterval(() => void schedule(), Math.max(10, leaseMs / 5));
      Deno.unrefTimer(timer); // a sweep never keeps the process alive
    }, () => {});
  }

  function viewOf(record: SweepRecord): SweepView | undefined {
    const live = driven.get(record.id);
    if (live) return live.view;
    let config = configs.get(record.id);
    if (!config) {
      const resolved = readConfig(record.file);
      if (!resolved) return undefined;
      configs.set(record.id, config = resolved);
    }
    const { status, trials, decisions } = record;
    const best = bestTrial(trials, config.metric.goal);
    const result = { status, trials, decisions, ...(best ? { best } : {}) };
    return { id: record.id, createdAt: record.createdAt, config, result };
  }

  const list = async () =>
    (await kept.list()).reverse().map(viewOf).filter((v): v is SweepView => v !== undefined);

  return {
    async start(file) {
      const { sweep, trials } = await admitSweep(file, admit);
      if (store.full) {
        throw new ApiError(503, "queue_full", "Too many runs are waiting: retry when one finishes");
      }
      const record = { id: newId(), createdAt: new Date().toISOString() };
      const state = { status: "running" as const, trials: pendingTrials(trials), decisions: [] };
      // Kept in this process's memory only, nobody else can take it, and no renewal comes.
      const until = options.sweeps ? now() + leaseMs : Infinity;
      await kept.insert({ ...record, file, ...state }, owner, until);
      return drive(record, sweep, trials, state).view;
    },
    list,
    get: async (id) => driven.get(id)?.view ?? (await list()).find((view) => view.id === id),
    async stop(id) {
      const sweep = driven.get(id);
      if (sweep) {
        await sweep.run.stop();
        await sweep.saving;
        return sweep.view;
      }
      const view = (await list()).find((v) => v.id === id);
      if (view?.result.status === "running") await kept.requestStop(id);
      return view;
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await ticking;
      for (const sweep of [...driven.values()]) {
        await sweep.run.abandon(); // its runs being created get their ids first
        void save(sweep);
        await sweep.saving;
        await kept.release(sweep.view.id, owner).catch(() => {});
      }
      driven.clear();
    },
  };
}

/** A kept sweep file's config, or undefined (with a message) when it no longer reads. */
function readConfig(file: unknown): SweepConfig | undefined {
  try {
    return parseSweepConfig(file);
  } catch (error) {
    console.error(`nagare: skipping a sweep: ${(error as Error).message}`);
    return undefined;
  }
}
