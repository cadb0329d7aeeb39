/**
 * Runs recorded in the state database: a new run's row and every event it
 * publishes are written before anyone sees them, and runs are rebuilt from
 * the database after a restart. Each process writes only the runs it holds
 * a lease on, renewed while it lives, so a server and CLI runs can share
 * one state folder and a dead process's runs can be taken over.
 *
 * @module
 */
import { hostname } from "node:os";
import { parseModelFileShape } from "../core/model/model_file_schema.ts";
import type { ModelFile } from "../core/model/model_file.ts";
import { parseRunConfig, type RunConfig } from "../jobs/run_config.ts";
import { createRun, FINAL_STATUSES, type Run, type RunStatus } from "./run.ts";
import type { LoggedEvent, RunEventType, RunLogOptions } from "./run_log.ts";
import { createRunLog } from "./run_log.ts";
import { type EventRow, openStateDb, type RunRow, type StateDb } from "./state_db.ts";
import { type AdmittedFile, carriedAdmittedFile, withAdmittedFile } from "./data_path.ts";

/** Where a run came from. */
export type RunSource = RunRow["source"];

/** What a recorded append may carry (see {@linkcode RunRecords}). */
export interface RecordExtras {
  /** The checkpoint taken after this epoch event, committed with it. */
  checkpoint?: { epoch: number; text: string };
}

/** Options of {@linkcode openRunRecords}. */
export interface RunRecordsOptions {
  /** How long a lease lasts without renewal (default 10 s); renewed every fifth of it. */
  leaseMs?: number;
  /** Clock (default `Date.now`). */
  now?: () => number;
}

/** One process's handle on the state database. */
export interface RunRecords {
  readonly db: StateDb;
  /** This process's owner id: `host:pid:random`. */
  readonly owner: string;
  /** How long a lease lasts without renewal, in ms. */
  readonly leaseMs: number;
  /** Creates a run recorded from its first event on; this process holds it. */
  create(id: string, config: RunConfig, source: RunSource, log?: RunLogOptions): Run;
  /**
   * Rebuilds a stored run. With `hold`, this process takes its lease and
   * records what the run publishes next (`held` false when another live
   * process holds it). An unfinished run's log stays open: a run followed
   * from another process gets its new events through `log.mirror`.
   */
  restore(id: string, log?: RunLogOptions, hold?: boolean): { run: Run; held: boolean } | undefined;
  /**
   * True when the run's lease is held by a process that is alive (this one
   * included); `row`, when given, is the run's row just read (saves a query).
   */
  isLive(id: string, row?: { owner?: string; leaseUntil?: number }): boolean;
  /** Reads a stored run's model file. */
  model(id: string): ModelFile | undefined;
  /** Stops recording a run here and lets another process take it. */
  release(id: string): void;
  /** Ends the leases and closes the database. */
  close(): void;
}

/** The admitted data file of a server run, as stored (it is not part of the config's JSON). */
const admittedText = (file: AdmittedFile | undefined) =>
  file === undefined ? {} : { admitted: JSON.stringify(file) };
const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));
const parse = (text: string | undefined) => (text === undefined ? undefined : JSON.parse(text));

/**
 * The row of a run as it is now.
 *
 * @example
 * ```ts ignore
 * db.insert(rowOf(run, "server"));
 * ```
 */
export function rowOf(run: Run, source: RunSource): RunRow {
  return {
    id: run.id,
    source,
    config: JSON.stringify(run.config),
    ...admittedText(carriedAdmittedFile(run.config.dataset)),
    createdAt: run.createdAt,
    status: run.status,
    ...(run.startedAt ? { startedAt: run.startedAt } : {}),
    ...(run.endedAt ? { endedAt: run.endedAt } : {}),
    ...(run.metrics ? { metrics: json(run.metrics) } : {}),
    ...(run.test ? { test: json(run.test) } : {}),
    ...(run.error ? { error: run.error } : {}),
  };
}

/**
 * Rebuilds a run from its stored row and events (JSON text), with an open
 * log that continues their ids; a server run on a file gets its admitted file back.
 *
 * @example
 * ```ts ignore
 * const run = runFromRow(db.run(id)!, db.events(id));
 * ```
 */
export function runFromRow(row: RunRow, events: readonly EventRow[], log: RunLogOptions = {}): Run {
  const config = parseRunConfig(JSON.parse(row.config));
  if (row.admitted !== undefined && typeof config.dataset === "object") {
    config.dataset = withAdmittedFile(config.dataset, JSON.parse(row.admitted) as AdmittedFile);
  }
  const history = events.map((e) => ({
    id: e.id,
    event: e.event as RunEventType,
    data: JSON.parse(e.data),
  }));
  return {
    id: row.id,
    config,
    createdAt: row.createdAt,
    log: createRunLog({ ...log, history }),
    stopper: new AbortController(),
    status: row.status as RunStatus,
    ...(row.startedAt ? { startedAt: row.startedAt } : {}),
    ...(row.endedAt ? { endedAt: row.endedAt } : {}),
    ...(row.metrics ? { metrics: parse(row.metrics) } : {}),
    ...(row.test ? { test: parse(row.test) } : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}

/**
 * True when `owner` (`host:pid:random`) is known to be a process of this
 * machine that has exited. Unknown (another machine, another system, or no
 * right to read /proc, as under the tasks' permissions) is false: then only
 * the lease's expiry tells.
 *
 * @example
 * ```ts
 * import { ownerGone } from "./run_records.ts";
 * ownerGone("elsewhere:1:abcd"); // false: another machine's process
 * ```
 */
export function ownerGone(owner: string): boolean {
  const [host, pid] = owner.split(":");
  if (host !== hostname() || !/^\d+$/.test(pid ?? "") || Deno.build.os !== "linux") return false;
  try {
    // "pid (name) S ...": a zombie (Z) or dead (X) process is gone though not yet reaped.
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return /^[ZX]$/.test(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
  } catch (error) {
    return error instanceof Deno.errors.NotFound;
  }
}

/**
 * Opens the state database in `dir` for this process.
 *
 * @example
 * ```ts
 * import { openRunRecords } from "./run_records.ts";
 * import { parseRunConfig } from "../jobs/run_config.ts";
 * const records = openRunRecords(Deno.makeTempDirSync());
 * const run = records.create("r1", parseRunConfig({ dataset: "xor" }), "cli");
 * run.log.append("status", { status: "running" });
 * records.db.events("r1").length; // 1
 * records.close();
 * ```
 */
export function openRunRecords(dir: string, options: RunRecordsOptions = {}): RunRecords {
  const { leaseMs = 10_000, now = Date.now } = options;
  const db = openStateDb(dir);
  const owner = `${hostname()}:${Deno.pid}:${crypto.randomUUID().slice(0, 8)}`;
  const held = new Map<string, RunSource>();
  const renew = () => {
    for (const id of held.keys()) {
      // Lost (this process stalled past its lease and another took the run): stop writing it.
      if (!db.lease(id, owner, now() + leaseMs, now())) held.delete(id);
    }
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  const hold = (id: string, source: RunSource) => {
    held.set(id, source);
    if (timer === undefined) {
      const interval = setInterval(renew, Math.max(10, leaseMs / 5));
      Deno.unrefTimer(interval);
      timer = interval; // a lease never keeps the process alive
    }
  };

  const recorder =
    (run: () => Run, source: RunSource) => (logged: LoggedEvent, extras?: unknown) => {
      const current = run();
      if (!held.has(current.id)) return; // let go: another process records it now
      const { checkpoint } = (extras ?? {}) as RecordExtras;
      const final = logged.event === "status" && FINAL_STATUSES.includes(current.status);
      try {
        db.append(current.id, {
          id: logged.id,
          event: logged.event,
          data: JSON.stringify(logged.data),
        }, {
          ...(logged.event === "batch" ? {} : { row: rowOf(current, source) }),
          ...(checkpoint ? { checkpoint } : {}),
          ...((logged.event === "end" || (final && current.status === "stopped")) && current.model
            ? { model: JSON.stringify(current.model) }
            : {}),
        });
      } catch (error) {
        // Another process took the run (this one stalled past its lease), or the disk
        // failed: stop training it here; whoever holds it next goes on from its checkpoint.
        held.delete(current.id);
        console.error(
          `nagare: run ${current.id} stops here, its record could not be written: ${
            (error as Error).message
          }`,
        );
        current.stopper.abort();
        return;
      }
      if (final) {
        db.dropCheckpoint(current.id); // a finished run is never resumed
        held.delete(current.id);
        db.release(current.id, owner);
      }
    };

  const isLive = (id: string, known?: { owner?: string; leaseUntil?: number }) => {
    const row = known ?? db.run(id);
    if (!row || !row.owner || row.leaseUntil === undefined) return false;
    return row.owner === owner || (row.leaseUntil >= now() && !ownerGone(row.owner));
  };

  return {
    db,
    owner,
    leaseMs,
    create(id, config, source, log = {}) {
      let run: Run | undefined = undefined;
      run = createRun(id, config, { ...log, onAppend: recorder(() => run!, source) });
      db.insert(rowOf(run, source), owner, now() + leaseMs);
      hold(id, source);
      return run;
    },
    restore(id, log = {}, wantHold = false) {
      const row = db.run(id);
      if (!row) return undefined;
      const final = FINAL_STATUSES.includes(row.status as RunStatus);
      const gotHold = wantHold && !final && (
        row.owner !== undefined && row.owner !== owner && ownerGone(row.owner)
          ? db.takeOver(id, owner, now() + leaseMs, row.owner)
          : db.lease(id, owner, now() + leaseMs, now())
      );
      let run: Run | undefined = undefined;
      run = runFromRow(row, db.events(id), {
        ...log,
        ...(gotHold ? { onAppend: recorder(() => run!, row.source) } : {}),
      });
      if (final) run.log.close();
      if (gotHold) hold(id, row.source);
      return { run, held: gotHold };
    },
    isLive,
    model(id) {
      const text = db.model(id);
      return text === undefined ? undefined : parseModelFileShape(JSON.parse(text)) as ModelFile;
    },
    release(id) {
      held.delete(id);
      db.release(id, owner);
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
      for (const id of held.keys()) db.release(id, owner);
      held.clear();
      db.close();
    },
  };
}
