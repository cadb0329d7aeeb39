/**
 * The streaming trainer: a cold Observable of training events.
 *
 * @module
 */
import { Observable } from "rxjs";
import type { TrainEvent } from "./train_events.ts";
import type { TrainOptions } from "./train_options.ts";
import { runTraining } from "./_epoch_loop.ts";

export type { CheckpointOptions, EarlyStoppingOptions, TrainOptions } from "./train_options.ts";

/**
 * Trains a network and reports progress as a cold Observable: subscribing
 * starts a run, unsubscribing stops it before the next step (the network keeps
 * the last completed step, or the best epoch's weights with
 * `earlyStopping.restoreBest`), and errors (bad data, a diverging loss) arrive
 * as the Observable's error. It emits one `start`, a `batch` per step, an
 * `epoch` per epoch (accuracy only for classification: several outputs with
 * softmax or logits, or one sigmoid output with 0/1 targets), and `end`.
 *
 * @example
 * ```ts ignore
 * import { filter } from "rxjs";
 * train({
 *   network, loss: crossEntropy(), optimizer: adam({ lr: 1e-3 }),
 *   data: fromCsv(() => Deno.openSync("train.csv").readable, { target: "label" }),
 *   prepare: [oneHot(10), standardize()],
 *   epochs: 10, batchSize: 64,
 *   earlyStopping: { patience: 3 }, schedule: cosineDecay(),
 * }).pipe(filter((e) => e.type === "epoch")).subscribe((e) => console.log(e.epoch, e.loss));
 * ```
 */
// deno-doc-ignore private-type-ref -- Observable is rxjs's, documented there
export function train(options: TrainOptions): Observable<TrainEvent> {
  return new Observable<TrainEvent>((subscriber) => {
    const controller = new AbortController();
    let running = true; // an abort builds a DOMException with a stack: only when it stops something
    runTraining(options, (event) => subscriber.next(event), controller.signal).then(
      () => {
        running = false;
        subscriber.complete();
      },
      (error) => {
        running = false;
        subscriber.error(error);
      },
    );
    return () => {
      if (running) controller.abort();
    };
  });
}
