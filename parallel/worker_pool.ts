/**
 * Workers started ahead of a run: a Worker takes ~20-40 ms to load its
 * modules, which a job can overlap with loading its data. Pass the pool to
 * {@linkcode parallel}; the run takes its workers from it (and starts more if
 * it holds too few).
 *
 * @example
 * ```ts ignore
 * const pool = startWorkers(1); // loads its modules while the data loads
 * const data = await loadData();
 * train({ ...options, data, createStep: parallel({ workers: 2, pool }) });
 * ```
 *
 * @module
 */
import type { WarmUp } from "./_warm_up.ts";
import type { WarmMessage } from "./_parallel_worker.ts";

export type { WarmUp };

/** A started Worker and the promise that settles once it has set up for a run (or failed to). */
export interface StartedWorker {
  readonly worker: Worker;
  /** Resolves on the worker's "ready" message; rejects with its start-up error. */
  readonly ready: Promise<void>;
  /** Set to end the worker's warm-up, if it has one. */
  readonly stop?: Int32Array;
}

/**
 * Starts one step worker: it loads its modules now, warms up for `warm` if
 * given, and sets up when it gets its init message.
 */
export function startWorker(warm?: WarmUp): StartedWorker {
  const worker = new Worker(new URL("./_parallel_worker.ts", import.meta.url), { type: "module" });
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ type: string; message?: string }>) => {
      worker.onmessage = worker.onerror = null;
      if (event.data.type === "ready") return resolve();
      worker.terminate();
      reject(new TypeError(event.data.message));
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      worker.onmessage = worker.onerror = null;
      worker.terminate();
      reject(new TypeError(event.message));
    };
  });
  ready.catch(() => {}); // reported when a run awaits it; a pooled worker may never be taken
  if (!warm) return { worker, ready };
  const stop = new SharedArrayBuffer(4);
  worker.postMessage({ type: "warm", warmUp: warm, stop } satisfies WarmMessage);
  return { worker, ready, stop: new Int32Array(stop) };
}

/** Workers waiting for a run; see {@linkcode startWorkers}. */
export interface WorkerPool {
  /** Workers still waiting. */
  readonly size: number;
  /** A waiting worker (it is the taker's to terminate), or undefined when none is left. */
  take(): StartedWorker | undefined;
  /** Terminates the workers still waiting. */
  close(): void;
}

/** Options of {@linkcode startWorkers}. */
export interface WorkerPoolOptions {
  /**
   * Milliseconds after which workers no run has taken are terminated
   * (default 10,000): a waiting Worker keeps the process alive, so a pool
   * left unused ends on its own.
   */
  readonly idleMs?: number;
  /**
   * The run the workers will serve (network, loss, optimizer, backend,
   * batch): while they wait, they run its step code on private memory for up
   * to 60 ms, so that their first real steps run compiled code. A run taken
   * earlier stops it at once.
   */
  readonly warmUp?: WarmUp;
}

/**
 * Starts `count` step workers now, for the next runs of {@linkcode parallel}
 * given this pool (each run takes the workers it needs).
 */
export function startWorkers(count: number, options: WorkerPoolOptions = {}): WorkerPool {
  if (!Number.isInteger(count) || count < 0 || count > 255) {
    throw new RangeError(`Invalid count: ${count} must be a whole number in 0..255`);
  }
  const idleMs = options.idleMs ?? 10_000;
  if (!(idleMs >= 0)) throw new RangeError(`Invalid idleMs: ${idleMs} must be 0 or more`);
  const waiting = Array.from({ length: count }, () => startWorker(options.warmUp));
  const close = (): void => {
    clearTimeout(timer);
    for (const w of waiting.splice(0)) w.worker.terminate();
  };
  const timer = count > 0 ? setTimeout(close, idleMs) : undefined;
  return {
    get size() {
      return waiting.length;
    },
    take() {
      const next = waiting.shift();
      if (next?.stop) Atomics.store(next.stop, 0, 1); // its run is next: no more warm-up
      if (waiting.length === 0) clearTimeout(timer);
      return next;
    },
    close,
  };
}
