/**
 * Where sweeps are kept, beside their runs: the state database (the
 * embedded store), Redis (`--redis`), or this process's memory. A sweep is
 * its file and its state (trials with their run ids, ASHA's decisions) as
 * the one process that drives it saved it; that process holds its lease
 * (owner + expiry, renewed while it lives), so another one can take over a
 * sweep whose driver died.
 *
 * @module
 */
import * as v from "valibot";
import type { StateDb } from "./state_db.ts";
import type { RungRecord, SweepResult, TrialResult } from "./sweep_runner.ts";

/** What the driver of a sweep saves as it goes. */
export interface SweepState {
  readonly status: SweepResult["status"];
  readonly trials: readonly TrialResult[];
  readonly decisions: readonly RungRecord[];
}

/** A kept sweep. */
export interface SweepRecord extends SweepState {
  readonly id: string;
  /** The sweep file as it was posted. */
  readonly file: unknown;
  readonly createdAt: string;
  /** True once some process asked to stop it. */
  readonly stopRequested: boolean;
  /** The process driving it, until `leaseUntil` (ms since the epoch) unless it renews. */
  readonly owner?: string;
  readonly leaseUntil?: number;
}

/** A place to keep sweeps; see {@linkcode stateDbSweepStore} and `createRedisSweepStore`. */
export interface SweepStore {
  /** Adds a sweep, held by `owner` until `leaseUntil`. */
  insert(
    record: Omit<SweepRecord, "stopRequested" | "owner" | "leaseUntil">,
    owner: string,
    leaseUntil: number,
  ): Promise<void>;
  /** Writes a sweep's state; false unless `owner` holds its lease (it lost the sweep). */
  save(id: string, state: SweepState, owner: string): Promise<boolean>;
  /**
   * Writes a sweep's state as `save` does, in one atomic step with the check
   * that `owner`'s lease has not expired at `now`: its driver records a
   * trial's run id so before it creates the run (false: it creates none).
   */
  claim(id: string, state: SweepState, owner: string, now: number): Promise<boolean>;
  /** Every sweep, oldest first; a record that cannot be read is left out with a message. */
  list(): Promise<SweepRecord[]>;
  /** Asks the driver of a sweep to stop it. */
  requestStop(id: string): Promise<void>;
  /** Takes or renews a running sweep's lease: false while another owner's has not expired. */
  lease(id: string, owner: string, until: number, now: number): Promise<boolean>;
  /** Takes a running sweep from `previous`, a process known to be dead. */
  takeOver(
    id: string,
    owner: string,
    until: number,
    previous: string | undefined,
  ): Promise<boolean>;
  /** Ends `owner`'s lease on a sweep. */
  release(id: string, owner: string): Promise<void>;
}

const Trial = v.object({
  index: v.number(),
  id: v.optional(v.string()),
  params: v.record(v.string(), v.unknown()),
  status: v.picklist(["pending", "queued", "running", "done", "stopped", "failed"]),
  epochs: v.number(),
  metric: v.optional(v.number()),
  stoppedAt: v.optional(v.number()),
  error: v.optional(v.string()),
});
const Decision = v.object({
  trial: v.number(),
  rung: v.number(),
  value: v.number(),
  decision: v.picklist(["continue", "stop"]),
});
const State = v.object({
  status: v.picklist(["running", "done", "stopped"]),
  trials: v.array(Trial),
  decisions: v.array(Decision),
});

/**
 * A kept sweep's state from the JSON texts it was saved as; throws a
 * TypeError naming the field when they do not fit.
 *
 * @example
 * ```ts
 * import { parseSweepState } from "./sweep_store.ts";
 * parseSweepState({ status: "running", trials: "[]", decisions: "[]" }).trials; // []
 * ```
 */
export function parseSweepState(
  texts: { status: string; trials: string; decisions: string },
): SweepState {
  const parsed = v.safeParse(State, {
    status: texts.status,
    trials: JSON.parse(texts.trials),
    decisions: JSON.parse(texts.decisions),
  });
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new TypeError(`Invalid sweep record: ${v.getDotPath(issue) ?? ""}: ${issue.message}`);
  }
  return parsed.output as SweepState;
}

/**
 * The records of `rows`, leaving out (with a message naming `where`) those
 * that cannot be read.
 *
 * @example
 * ```ts ignore
 * readableRecords(db.sweeps(), toRecord, db.path);
 * ```
 */
export function readableRecords<T>(
  rows: readonly T[],
  read: (row: T) => SweepRecord,
  where: string,
): SweepRecord[] {
  return rows.flatMap((row) => {
    try {
      return [read(row)];
    } catch (error) {
      console.error(`nagare: skipping a sweep of ${where}: ${(error as Error).message}`);
      return [];
    }
  });
}

/**
 * Sweeps in the state database, beside the runs of the embedded store.
 *
 * @example
 * ```ts
 * import { openStateDb } from "./state_db.ts";
 * import { stateDbSweepStore } from "./sweep_store.ts";
 * const db = openStateDb(Deno.makeTempDirSync());
 * const sweeps = stateDbSweepStore(db);
 * await sweeps.insert({
 *   id: "s1", file: {}, createdAt: "2026-12-07T00:00:00Z", status: "running", trials: [], decisions: [],
 * }, "me", Date.now() + 10_000);
 * (await sweeps.list()).map((s) => s.owner); // ["me"]
 * db.close();
 * ```
 */
export function stateDbSweepStore(db: StateDb): SweepStore {
  const texts = (state: SweepState) => ({
    status: state.status,
    trials: JSON.stringify(state.trials),
    decisions: JSON.stringify(state.decisions),
  });
  return {
    insert(record, owner, leaseUntil) {
      const row = {
        id: record.id,
        config: JSON.stringify(record.file),
        createdAt: record.createdAt,
      };
      return Promise.resolve(db.insertSweep({ ...row, ...texts(record) }, owner, leaseUntil));
    },
    // Synchronous underneath: a decision is on disk before the stop it makes is sent.
    save: (id, state, owner) => Promise.resolve(db.saveSweep({ id, ...texts(state) }, owner)),
    claim: (id, state, owner, now) =>
      Promise.resolve(db.saveSweep({ id, ...texts(state) }, owner, now)),
    list: () =>
      Promise.resolve(readableRecords(db.sweeps(), (row) => ({
        id: row.id,
        file: JSON.parse(row.config),
        createdAt: row.createdAt,
        ...parseSweepState(row),
        stopRequested: row.stopRequested === true,
        ...(row.owner === undefined ? {} : { owner: row.owner }),
        ...(row.leaseUntil === undefined ? {} : { leaseUntil: row.leaseUntil }),
      }), db.path)),
    requestStop: (id) => Promise.resolve(db.requestSweepStop(id)),
    lease: (id, owner, until, now) => Promise.resolve(db.leaseSweep(id, owner, until, now)),
    takeOver: (id, owner, until, previous) =>
      Promise.resolve(db.takeOverSweep(id, owner, until, previous)),
    release: (id, owner) => Promise.resolve(db.releaseSweep(id, owner)),
  };
}

/**
 * Sweeps in this process's memory only (a server without a state folder):
 * gone with it.
 *
 * @example
 * ```ts
 * import { memorySweepStore } from "./sweep_store.ts";
 * const sweeps = memorySweepStore();
 * await sweeps.insert({
 *   id: "s1", file: {}, createdAt: "2026-12-07T00:00:00Z", status: "running", trials: [], decisions: [],
 * }, "me", Infinity);
 * await sweeps.save("s1", { status: "done", trials: [], decisions: [] }, "me"); // true
 * ```
 */
export function memorySweepStore(): SweepStore {
  const records = new Map<string, SweepRecord>();
  const update = (id: string, change: Partial<SweepRecord>) => {
    const record = records.get(id);
    if (record) records.set(id, { ...record, ...change });
  };
  /** Writes the state of a sweep `owner` holds, unexpired at `now`. */
  const write = (id: string, state: SweepState, owner: string, now: number) => {
    const record = records.get(id);
    const held = record?.owner === owner && (record.leaseUntil ?? -Infinity) >= now;
    if (held) update(id, structuredClone(state));
    return Promise.resolve(held);
  };
  return {
    insert(record, owner, leaseUntil) {
      records.set(record.id, { ...record, stopRequested: false, owner, leaseUntil });
      return Promise.resolve();
    },
    save: (id, state, owner) => write(id, state, owner, -Infinity),
    claim: write,
    list: () => Promise.resolve([...records.values()]),
    requestStop: (id) => Promise.resolve(update(id, { stopRequested: true })),
    lease(id, owner, until, now) {
      const record = records.get(id);
      const free = record?.status === "running" &&
        (record.owner === undefined || record.owner === owner || (record.leaseUntil ?? 0) < now);
      if (free) update(id, { owner, leaseUntil: until });
      return Promise.resolve(free);
    },
    takeOver(id, owner, until, previous) {
      const record = records.get(id);
      const taken = record?.status === "running" && record.owner === previous;
      if (taken) update(id, { owner, leaseUntil: until });
      return Promise.resolve(taken);
    },
    release(id, owner) {
      if (records.get(id)?.owner === owner) update(id, { owner: undefined, leaseUntil: undefined });
      return Promise.resolve();
    },
  };
}
