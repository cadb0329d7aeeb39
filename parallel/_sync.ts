/**
 * Waiting on the shared control words. A thread spins first: a step's threads
 * finish within microseconds of each other, and waking a sleeping thread
 * costs 25-50 µs on Linux. After 50 µs it sleeps in `Atomics.wait`: when
 * another process holds one of two cores, the thread it waits for may need
 * this core, and every spin then delays it (beside one busy process, two
 * threads trained Fashion-MNIST at 22,000 samples/s spinning half a
 * millisecond, 34,000 spinning 50 µs; one thread alone 41,000). An idle
 * worker (between runs, while the main thread serves requests) costs no CPU.
 * Browsers forbid `Atomics.wait` on the main thread: there it keeps spinning.
 * Internal.
 *
 * @module
 */
import { failure, type Layout } from "./_layout.ts";

const SPIN_MS = 0.05;
/** A worker that has not answered for this long is taken for dead. */
const DEAD_MS = 300_000;

let mainMaySleep = true;

function sleep(control: Int32Array, index: number, value: number, ms: number): void {
  if (!mainMaySleep) return;
  try {
    Atomics.wait(control, index, value, ms);
  } catch {
    mainMaySleep = false; // a browser's main thread
  }
}

/**
 * Waits until `control[index]` reaches `target`. Throws the worker's own error
 * when one failed, and a RangeError when none answers for five minutes.
 */
export function waitFor(layout: Layout, index: number, target: number): void {
  const control = layout.control;
  let value = Atomics.load(control, index);
  if (value >= target) return;
  const began = performance.now();
  for (let spins = 1;; spins++) {
    value = Atomics.load(control, index);
    if (value >= target) return;
    if ((spins & 1023) !== 0) continue;
    const failed = failure(layout);
    if (failed) throw failed;
    const waited = performance.now() - began;
    if (waited > DEAD_MS) {
      throw new RangeError(
        `Parallel step stalled: a worker has not answered for ${
          DEAD_MS / 1000
        } s; train with workers: 1 to find the error`,
      );
    }
    if (waited > SPIN_MS) sleep(control, index, value, 20);
  }
}

/** Worker side: waits until `control[index]` differs from `last`, and returns it. */
export function waitChange(control: Int32Array, index: number, last: number): number {
  const began = performance.now();
  for (let spins = 1;; spins++) {
    const value = Atomics.load(control, index);
    if (value !== last) return value;
    if ((spins & 1023) === 0 && performance.now() - began > SPIN_MS) {
      Atomics.wait(control, index, last);
    }
  }
}

/** Adds one to `control[index]` and wakes whoever sleeps on it. */
export function arrive(control: Int32Array, index: number): void {
  Atomics.add(control, index, 1);
  Atomics.notify(control, index);
}
