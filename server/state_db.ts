/**
 * The embedded run store on disk: runs, their event histories, their last
 * checkpoint and their model in one SQLite database (`node:sqlite`, built
 * into Deno: nothing to install) under a state folder, `.nagare/` by default.
 *
 * Durability: every write is a transaction in write-ahead-log mode, so a
 * `kill -9` loses at most the event being written, never half of one. An
 * epoch event and the checkpoint taken after it commit together (see
 * {@linkcode StateDb.append}), which is what lets a resumed run log every
 * epoch exactly once. Several processes (a server and CLI runs) may share one
 * database; each run is written by the one process that holds its lease.
 *
 * @module
 */
import { mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";

/** A run's row: what the run list shows without reading its events. */
export interface RunRow {
  readonly id: string;
  /** Who started it: the server's API or `deno task train`. */
  readonly source: "server" | "cli";
  /** The run config as JSON text. */
  readonly config: string;
  /** JSON text of the data file the server admitted (its identity), for a server run on a file. */
  readonly admitted?: string;
  readonly createdAt: string;
  status: string;
  startedAt?: string;
  endedAt?: string;
  /** JSON text of the last epoch's metrics. */
  metrics?: string;
  /** JSON text of the test scores. */
  test?: string;
  error?: string;
  /** A user-given name. */
  name?: string;
}

/** One stored event. */
export interface EventRow {
  readonly id: number;
  readonly event: string;
  /** JSON text. */
  readonly data: string;
}

/** What {@linkcode StateDb.append} writes with an event, in the same transaction. */
export interface AppendExtras {
  /** The run's row as it is now. */
  row?: RunRow;
  /** JSON text of the checkpoint taken after this epoch event. */
  checkpoint?: { epoch: number; text: string };
  /** JSON text of the run's model file (with its `end` event). */
  model?: string;
}

/** A sweep's row (see `server/sweep_store.ts`): its file, and its state as its driver saved it. */
export interface SweepRow {
  readonly id: string;
  /** The sweep file as posted, JSON text. */
  readonly config: string;
  readonly createdAt: string;
  /** `running`, `done` or `stopped`. */
  status: string;
  /** JSON text of the trials in plan order (run ids, statuses, metrics). */
  trials: string;
  /** JSON text of the early-termination decisions in the order they were made. */
  decisions: string;
  /** True once a stop was asked for (by any process); its driver stops it. */
  stopRequested?: boolean;
}

/** The state database of one folder. */
export interface StateDb {
  /** The database file's path. */
  readonly path: string;
  /** Adds a run's row, held by `owner` until `leaseUntil` (ms since the epoch) when given. */
  insert(row: RunRow, owner?: string, leaseUntil?: number): void;
  /** Appends an event with whatever must commit with it. */
  append(runId: string, event: EventRow, extras?: AppendExtras): void;
  /** Every run's row, oldest first, with its lease. */
  runs(): (RunRow & { owner?: string; leaseUntil?: number })[];
  /** One run's row. */
  run(id: string): (RunRow & { owner?: string; leaseUntil?: number }) | undefined;
  /** A run's events in id order, those after `afterId` only when given. */
  events(runId: string, afterId?: number): EventRow[];
  /** A run's last checkpoint (JSON text), if it has one. */
  checkpoint(runId: string): { epoch: number; text: string } | undefined;
  /** A run's model file (JSON text), once it has one. */
  model(runId: string): string | undefined;
  /**
   * Takes or renews the lease of `owner` on an unfinished run until `until`
   * (ms since the epoch); false when another owner holds a lease that has
   * not expired, or the run has ended.
   */
  lease(runId: string, owner: string, until: number, now?: number): boolean;
  /**
   * Takes a run's lease from `previous`, a process known to be dead, whatever
   * its expiry; false when the lease changed hands since `previous` was read.
   */
  takeOver(runId: string, owner: string, until: number, previous: string | undefined): boolean;
  /** Ends `owner`'s lease on a run (its process is done with it). */
  release(runId: string, owner: string): void;
  /** Removes runs with their events, checkpoint and model. */
  remove(ids: readonly string[]): void;
  /** Drops the checkpoint of a run (a finished run needs none). */
  dropCheckpoint(runId: string): void;
  /** Adds a sweep's row, held by `owner` until `leaseUntil`. */
  insertSweep(row: SweepRow, owner: string, leaseUntil: number): void;
  /** Writes a sweep's state; false unless `owner` holds its lease (unexpired at `now`, if given). */
  saveSweep(row: Omit<SweepRow, "config" | "createdAt">, owner: string, now?: number): boolean;
  /** Every sweep's row, oldest first, with its lease. */
  sweeps(): (SweepRow & { owner?: string; leaseUntil?: number })[];
  /** Asks a sweep's driver to stop it (it reads the flag when it renews its lease). */
  requestSweepStop(id: string): void;
  /** {@linkcode StateDb.lease} for a running sweep. */
  leaseSweep(id: string, owner: string, until: number, now?: number): boolean;
  /** {@linkcode StateDb.takeOver} for a running sweep. */
  takeOverSweep(id: string, owner: string, until: number, previous: string | undefined): boolean;
  /** {@linkcode StateDb.release} for a sweep. */
  releaseSweep(id: string, owner: string): void;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  config TEXT NOT NULL,
  admitted TEXT,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT, ended_at TEXT, metrics TEXT, test TEXT, error TEXT, name TEXT,
  owner TEXT, lease_until INTEGER
);
CREATE TABLE IF NOT EXISTS events (
  run_id TEXT NOT NULL, id INTEGER NOT NULL, event TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (run_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (run_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS models (run_id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sweeps (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  config TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL,
  trials TEXT NOT NULL,
  decisions TEXT NOT NULL,
  stop_requested INTEGER NOT NULL DEFAULT 0,
  owner TEXT, lease_until INTEGER
);
`;

/** Version of the tables above; a newer database is refused rather than misread. */
const SCHEMA_VERSION = "1";

type Row = Record<string, unknown>;

const text = (value: unknown): string | undefined => typeof value === "string" ? value : undefined;

function toRun(row: Row): RunRow & { owner?: string; leaseUntil?: number } {
  const optional = (key: string, column: string) => {
    const value = text(row[column]);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    id: String(row.id),
    source: row.source === "cli" ? "cli" : "server",
    config: String(row.config),
    ...optional("admitted", "admitted"),
    createdAt: String(row.created_at),
    status: String(row.status),
    ...optional("startedAt", "started_at"),
    ...optional("endedAt", "ended_at"),
    ...optional("metrics", "metrics"),
    ...optional("test", "test"),
    ...optional("error", "error"),
    ...optional("name", "name"),
    ...optional("owner", "owner"),
    ...(typeof row.lease_until === "number" ? { leaseUntil: row.lease_until } : {}),
  };
}

/** Leases on `runs` and `sweeps` rows: one owner at a time until `lease_until`, none once finished. */
function leaseStatements(sql: (query: string) => StatementSync) {
  const open = "status NOT IN ('done', 'stopped', 'failed')";
  return {
    lease(table: string, id: string, owner: string, until: number, now: number): boolean {
      const changed = sql(
        `UPDATE ${table} SET owner = ?, lease_until = ?
         WHERE id = ? AND ${open}
           AND (owner IS NULL OR owner = ? OR lease_until IS NULL OR lease_until < ?)`,
      ).run(owner, until, id, owner, now);
      return Number(changed.changes) === 1;
    },
    takeOver(table: string, id: string, owner: string, until: number, previous?: string): boolean {
      const changed = sql(
        `UPDATE ${table} SET owner = ?, lease_until = ? WHERE id = ? AND owner IS ? AND ${open}`,
      ).run(owner, until, id, previous ?? null);
      return Number(changed.changes) === 1;
    },
    release(table: string, id: string, owner: string): void {
      sql(`UPDATE ${table} SET owner = NULL, lease_until = NULL WHERE id = ? AND owner = ?`)
        .run(id, owner);
    },
  };
}

/**
 * Opens (creating when needed) the state database `runs.db` in `dir`.
 * Throws a TypeError naming the folder and the fix when it cannot.
 *
 * @example
 * ```ts
 * import { openStateDb } from "./state_db.ts";
 * const dir = Deno.makeTempDirSync();
 * const db = openStateDb(dir);
 * db.insert({ id: "r1", source: "cli", config: "{}", createdAt: "2026-12-07T00:00:00Z", status: "queued" });
 * db.runs().map((r) => r.id); // ["r1"]
 * db.close();
 * ```
 */
export function openStateDb(dir: string): StateDb {
  const path = join(resolve(dir), "runs.db");
  let db: DatabaseSync;
  if (statSync(dir, { throwIfNoEntry: false })?.isFile()) {
    throw new TypeError(
      `Cannot open the run store in ${dir}: it is a file, not a folder; pass another --state-dir`,
    );
  }
  try {
    mkdirSync(dir, { recursive: true });
    db = new DatabaseSync(path);
    db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL");
    db.exec(SCHEMA);
  } catch (error) {
    throw new TypeError(
      `Cannot open the run store ${path}: ${(error as Error).message}; ` +
        "check that the folder is writable, or pass another --state-dir",
    );
  }
  const version = db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as
    | Row
    | undefined;
  if (version === undefined) {
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
  } else if (version.value !== SCHEMA_VERSION) {
    db.close();
    throw new TypeError(
      `Cannot read the run store ${path}: it has version ${version.value}, this nagare reads ${SCHEMA_VERSION}; ` +
        "upgrade nagare or pass another --state-dir",
    );
  }
  const cache = new Map<string, StatementSync>();
  const sql = (query: string) => {
    let statement = cache.get(query);
    if (!statement) cache.set(query, statement = db.prepare(query));
    return statement;
  };
  const transaction = (work: () => void) => {
    db.exec("BEGIN IMMEDIATE");
    try {
      work();
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  };
  const writeRow = (row: RunRow) =>
    sql(
      `UPDATE runs SET status = ?, started_at = ?, ended_at = ?, metrics = ?, test = ?, error = ?, name = ?
       WHERE id = ?`,
    ).run(
      row.status,
      row.startedAt ?? null,
      row.endedAt ?? null,
      row.metrics ?? null,
      row.test ?? null,
      row.error ?? null,
      row.name ?? null,
      row.id,
    );
  const leases = leaseStatements(sql);
  const RUN_COLUMNS =
    "id, source, config, admitted, created_at, status, started_at, ended_at, metrics, test, error, name, owner, lease_until";

  return {
    path,
    insert(row, owner, leaseUntil) {
      transaction(() => {
        sql(
          `INSERT INTO runs (id, source, config, admitted, created_at, status, owner, lease_until)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          row.id,
          row.source,
          row.config,
          row.admitted ?? null,
          row.createdAt,
          row.status,
          owner ?? null,
          leaseUntil ?? null,
        );
        writeRow(row);
      });
    },
    append(runId, event, extras = {}) {
      transaction(() => {
        sql("INSERT INTO events (run_id, id, event, data) VALUES (?, ?, ?, ?)")
          .run(runId, event.id, event.event, event.data);
        if (extras.row) writeRow(extras.row);
        if (extras.checkpoint) {
          sql("INSERT OR REPLACE INTO checkpoints (run_id, epoch, data) VALUES (?, ?, ?)")
            .run(runId, extras.checkpoint.epoch, extras.checkpoint.text);
        }
        if (extras.model !== undefined) {
          sql("INSERT OR REPLACE INTO models (run_id, data) VALUES (?, ?)").run(
            runId,
            extras.model,
          );
        }
      });
    },
    runs: () => sql(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY seq`).all().map((r) => toRun(r)),
    run(id) {
      const row = sql(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`).get(id);
      return row ? toRun(row) : undefined;
    },
    events: (runId, afterId = 0) =>
      sql("SELECT id, event, data FROM events WHERE run_id = ? AND id > ? ORDER BY id")
        .all(runId, afterId)
        .map((r) => ({ id: Number(r.id), event: String(r.event), data: String(r.data) })),
    checkpoint(runId) {
      const row = sql("SELECT epoch, data FROM checkpoints WHERE run_id = ?").get(runId);
      return row ? { epoch: Number(row.epoch), text: String(row.data) } : undefined;
    },
    model: (runId) => text(sql("SELECT data FROM models WHERE run_id = ?").get(runId)?.data),
    lease: (runId, owner, until, now = Date.now()) =>
      leases.lease("runs", runId, owner, until, now),
    takeOver: (runId, owner, until, previous) =>
      leases.takeOver("runs", runId, owner, until, previous),
    release: (runId, owner) => leases.release("runs", runId, owner),
    remove(ids) {
      transaction(() => {
        for (const id of ids) {
          for (const table of ["events", "checkpoints", "models"]) {
            sql(`DELETE FROM ${table} WHERE run_id = ?`).run(id);
          }
          sql("DELETE FROM runs WHERE id = ?").run(id);
        }
      });
    },
    dropCheckpoint(runId) {
      sql("DELETE FROM checkpoints WHERE run_id = ?").run(runId);
    },
    insertSweep(row, owner, leaseUntil) {
      const { id, config, createdAt, status, trials, decisions } = row;
      sql(
        `INSERT INTO sweeps (id, config, created_at, status, trials, decisions, owner, lease_until)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, config, createdAt, status, trials, decisions, owner, leaseUntil);
    },
    saveSweep(row, owner, now = -Infinity) {
      const changed = sql(
        "UPDATE sweeps SET status = ?, trials = ?, decisions = ? WHERE id = ? AND owner = ? AND lease_until >= ?",
      ).run(row.status, row.trials, row.decisions, row.id, owner, now);
      return Number(changed.changes) === 1;
    },
    sweeps: () =>
      sql(
        `SELECT id, config, created_at, status, trials, decisions, stop_requested, owner, lease_until
         FROM sweeps ORDER BY seq`,
      ).all().map((row) => ({
        id: String(row.id),
        config: String(row.config),
        createdAt: String(row.created_at),
        status: String(row.status),
        trials: String(row.trials),
        decisions: String(row.decisions),
        ...(row.stop_requested ? { stopRequested: true } : {}),
        ...(typeof row.owner === "string" ? { owner: row.owner } : {}),
        ...(typeof row.lease_until === "number" ? { leaseUntil: row.lease_until } : {}),
      })),
    requestSweepStop(id) {
      sql("UPDATE sweeps SET stop_requested = 1 WHERE id = ?").run(id);
    },
    leaseSweep: (id, owner, until, now = Date.now()) =>
      leases.lease("sweeps", id, owner, until, now),
    takeOverSweep: (id, owner, until, previous) =>
      leases.takeOver("sweeps", id, owner, until, previous),
    releaseSweep: (id, owner) => leases.release("sweeps", id, owner),
    close: () => db.close(),
  };
}
