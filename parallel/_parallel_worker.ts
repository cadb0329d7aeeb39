/**
 * The Worker of a data-parallel step. It rebuilds the network, loss and
 * optimizer from their names and parameters (built-in plugins, plus those
 * exported by the plugin modules it is given), then serves steps: wait for
 * the main thread's generation counter, compute the gradient of its rows,
 * meet the other threads, share the reduction and update of the weights. A
 * pooled worker may first get a warm-up (_warm_up.ts) while it waits.
 * Internal: a Worker entry started by `parallel()`; loading it installs the
 * message handler, so nothing else should import it (types aside).
 *
 * @module
 */
import {
  ARRIVE,
  CMD,
  EVALUATE,
  FINISH,
  GEN,
  GRADIENTS_AND_UPDATE,
  READY,
  reportFailure,
  STOP,
} from "./_layout.ts";
import { arrive, waitChange, waitFor } from "./_sync.ts";
import { updateShare } from "./_update_share.ts";
import { setup, type WorkerInit, type WorkerStep } from "./_worker_setup.ts";
import { type WarmUp, warmUp } from "./_warm_up.ts";

/** Sent to a pooled worker before its init: warm up for this run until `stop[0]` is set. */
export interface WarmMessage {
  readonly type: "warm";
  readonly warmUp: WarmUp;
  readonly stop: SharedArrayBuffer;
}

interface Scope {
  onmessage: ((event: MessageEvent<WorkerInit | WarmMessage>) => void) | null;
  postMessage(message: unknown): void;
}

/** Serves steps until the main thread says stop (or terminates the worker). */
function serve(init: WorkerInit, ready: WorkerStep): void {
  const { layout, step, optimizer, chunks } = ready;
  const control = layout.control, threads = init.sizes.threads;
  const weights = new Array<number>(threads).fill(0);
  let generation = 0; // not loaded: the main thread may start the first step before this line runs
  for (;;) {
    generation = waitChange(control, GEN, generation);
    const command = Atomics.load(control, CMD);
    if (command === STOP) return;
    try {
      if (command === EVALUATE) {
        step.evaluateRows(layout.x, layout.t);
        arrive(control, ARRIVE);
        continue;
      }
      step.gradients(layout.x, layout.t, command === GRADIENTS_AND_UPDATE);
      arrive(control, ARRIVE);
      if (command === GRADIENTS_AND_UPDATE) {
        waitFor(layout, ARRIVE, threads);
        updateShare(layout, chunks, optimizer, weights, init.thread, step);
        arrive(control, FINISH);
      }
    } catch (error) {
      reportFailure(layout, init.thread, error);
      return;
    }
  }
}

const scope = self as unknown as Scope;
// A warm-up under way (a pooled worker), ended and awaited before the run's own setup.
let warming: { stop: Int32Array; done: Promise<number> } | undefined;
scope.onmessage = async (event) => {
  if ("type" in event.data) { // a warm-up; the init comes next
    const stop = new Int32Array(event.data.stop);
    warming = { stop, done: warmUp(event.data.warmUp, stop) };
    return;
  }
  scope.onmessage = null;
  const init = event.data;
  if (warming) {
    Atomics.store(warming.stop, 0, 1);
    await warming.done;
  }
  let ready;
  try {
    ready = await setup(init);
  } catch (error) {
    scope.postMessage({ type: "error", message: (error as Error).message ?? String(error) });
    return;
  }
  arrive(ready.layout.control, READY);
  scope.postMessage({ type: "ready" });
  serve(init, ready);
};
