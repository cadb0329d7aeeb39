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
  /** The Worker running the step code; whoever takes it from a pool terminates it. */
  readonly worker: Worker;
  /** Resolves on the worker's "ready" message; rejects with its start-up error. */
  readonly ready: Promise<void>;
}

/** Starts one step worker: it loads its modules now and sets up when it gets its init message. */
export function startWorker(): StartedWorker {
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
  return { worker, ready };
}

/** Workers waiting for a run; see {@linkcode startWorkers}. */
export interface WorkerPool {
  /** Workers still waiting. */
  readonly size: number;
  /**
   * Has the waiting workers run the step code of `run` (network, plugins,
   * backend, batch) on private memory for up to 60 ms, so that their first
   * real steps run compiled code. Taking a worker for its run stops its
   * warm-up; the run waits for the current warm-up step to end.
   */
  warmUp(run: WarmUp): void;
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
  /** Warm the workers up for this run at once (see {@linkcode WorkerPool.warmUp}). */
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
  // Each with the flag that ends its warm-up, if it gets one.
  const waiting = Array.from({ length: count }, () => ({
    ...startWorker(),
    stop: new Int32Array(new SharedArrayBuffer(4)),
  }));
  const close = (): void => {
    clearTimeout(timer);
    for (const w of waiting.splice(0)) w.worker.terminate();
  };
  const timer = count > 0 ? setTimeout(close, idleMs) : undefined;
  const pool: WorkerPool = {
    get size() {
      return waiting.length;
    },
    warmUp(run) {
      for (const { worker, stop } of waiting) {
        const message: WarmMessage = {
          type: "warm",
          warmUp: run,
          stop: stop.buffer as SharedArrayBuffer,
        };
        worker.postMessage(message);
      }
    },
    take() {
      const next = waiting.shift();
      if (waiting.length === 0) clearTimeout(timer);
      if (!next) return undefined;
      Atomics.store(next.stop, 0, 1); // its run is next: no more warm-up
      return { worker: next.worker, ready: next.ready };
    },
    close,
  };
  if (options.warmUp) pool.warmUp(options.warmUp);
  return pool;
}
