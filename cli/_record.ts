// `deno task train` records its run in the state folder (like the server), checkpoints
// every epoch, and `--resume [RUN]` continues an interrupted run from its last checkpoint.
import { resolve } from "node:path";
import { Observable } from "rxjs";
import { type Checkpoint, parseCheckpoint } from "../core/model/checkpoint.ts";
import type { TrainEvent } from "../core/train/train_events.ts";
import type { RunConfig } from "../jobs/run_config.ts";
import { FINAL_STATUSES, type Run, type RunStatus } from "../server/run.ts";
import { openRunRecords, type RunRecords } from "../server/run_records.ts";
import { type EpochGate, epochGate, trackRun, type Training } from "../server/run_tracker.ts";
import { UsageError } from "./print_error.ts";

/** A CLI run being recorded. */
export interface Recording {
  readonly run: Run;
  readonly gate: EpochGate;
  /** The checkpoint to go on from (`--resume`). */
  readonly resume?: Checkpoint;
  /**
   * The training's events, recorded as they pass. Unsubscribing before the
   * end (Ctrl-C) leaves the run resumable: the run is let go, not stopped.
   */
  track(training: Training): Observable<TrainEvent>;
  /** `events$` (already recording this run, e.g. through the server's store) made resumable when cancelled. */
  resumableOnCancel(events$: Observable<TrainEvent>): Observable<TrainEvent>;
  /** Lets the run go (if still held) and closes the database. */
  close(): void;
}

/** The config as recorded: paths made absolute, so `--resume` works from any folder. */
function absolute(config: RunConfig): RunConfig {
  const d = config.dataset;
  const dataset = typeof d === "string"
    ? d
    : "csv" in d
    ? { ...d, csv: resolve(d.csv) }
    : { ...d, ndjson: resolve(d.ndjson) };
  return { ...config, dataset, out: resolve(config.out) } as RunConfig;
}

function recording(records: RunRecords, run: Run, resume?: Checkpoint): Recording {
  const gate = epochGate(run, 1);
  return {
    run,
    gate,
    ...(resume ? { resume } : {}),
    track(training) {
      return this.resumableOnCancel(trackRun(run, training, { gate }));
    },
    resumableOnCancel(events$) {
      return new Observable<TrainEvent>((subscriber) => {
        let ended = false;
        const end = () => (ended = true);
        const subscription = events$.subscribe({
          next: (event) => subscriber.next(event),
          error: (error) => (end(), subscriber.error(error)),
          complete: () => (end(), subscriber.complete()),
        });
        return () => {
          if (!ended) records.release(run.id); // interrupted: resumable, not stopped
          subscription.unsubscribe();
        };
      });
    },
    close: () => records.close(),
  };
}

/**
 * Records a new CLI run in `stateDir`.
 *
 * @example
 * ```ts ignore
 * const rec = recordRun(".nagare", config);
 * const events$ = rec.track({ events$: job.events$, result });
 * ```
 */
export function recordRun(stateDir: string, config: RunConfig): Recording {
  const records = openRunRecords(stateDir);
  const run = records.create(crypto.randomUUID(), absolute(config), "cli");
  return recording(records, run);
}

/**
 * Reopens an interrupted CLI run of `stateDir` (the newest unfinished one
 * when `id` is not given) to continue it. A run whose process still holds
 * its lease (it may have just died: the lease says so within 10 s) is waited
 * for, with a line to `say`; one that stays held is refused. Throws a
 * UsageError saying why it cannot go on.
 */
export async function resumeRun(
  stateDir: string,
  id: string | undefined,
  say: (line: string) => void,
): Promise<Recording> {
  const records = openRunRecords(stateDir);
  const fail = (message: string): never => {
    records.close();
    throw new UsageError(message);
  };
  const unfinished = (status: string) => !FINAL_STATUSES.includes(status as RunStatus);
  const row = id === undefined
    ? records.db.runs().filter((r) => r.source === "cli" && unfinished(r.status)).at(-1)
    : records.db.run(id);
  if (!row) {
    return fail(
      id === undefined
        ? `--resume: no interrupted run in ${records.db.path}; start one with deno task train`
        : `--resume ${id}: no run with this id in ${records.db.path}; check the id or --state-dir`,
    );
  }
  if (!unfinished(row.status)) {
    return fail(`--resume ${row.id}: the run is ${row.status}; there is nothing to continue`);
  }
  if (row.source !== "cli") {
    return fail(
      `--resume ${row.id}: it is a server run; the server resumes it when it starts (deno task serve)`,
    );
  }
  if (records.isLive(row.id)) {
    const waitMs = records.leaseMs + 2000; // a dead process's lease ends within leaseMs
    say(
      `run ${row.id} is held by another process: waiting up to ${waitMs / 1000} s for it to let go`,
    );
    const deadline = Date.now() + waitMs;
    while (records.isLive(row.id) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (records.isLive(row.id)) {
      return fail(
        `--resume ${row.id}: another process is training it (${
          records.db.run(row.id)?.owner
        }); wait for it or stop it first`,
      );
    }
  }
  const restored = records.restore(row.id, {}, true);
  if (!restored?.held) return fail(`--resume ${row.id}: another process took it just now`);
  const stored = records.db.checkpoint(row.id);
  return recording(records, restored.run, stored ? parseCheckpoint(stored.text) : undefined);
}
