/**
 * Online learning on unbounded streams: an RxJS operator that batches the
 * samples it receives, scores each batch before training on it
 * (prequential evaluation, as River and MOA do) and reports windows of those
 * scores, in bounded memory, while the model stays available as a file.
 *
 * @module
 */
import { Observable, type OperatorFunction, takeWhile } from "rxjs";
import { checkLossPairing } from "../checks/pairing.ts";
import { pluginRef } from "../checks/plugin_ref.ts";
import type { OptimizerState } from "../math/optimize.ts";
import { createTrainStep, type TrainStep } from "../math/train_step.ts";
import { restoreCheckpoint } from "../model/checkpoint_codec.ts";
import { type ModelFile, type ModelMeta, pluginEntry, toModelFile } from "../model/model_file.ts";
import { classification } from "./classification.ts";
import type { OnlineEvent } from "./online_events.ts";
import { checkOnlineOptions, type OnlineOptions } from "./online_options.ts";
import type { OnlineInput } from "./_online_rows.ts";
import { type LearnerContext, openSession, type Session } from "./_online_session.ts";

export type { OnlineBatch, OnlineInput, OnlineSample } from "./_online_rows.ts";

/** A model that learns from a stream: see {@linkcode onlineLearner}. */
export interface OnlineLearner {
  /**
   * The operator that trains on a stream of samples `{ x, y }` or
   * mini-batches `{ x: Mat, y: Mat }` and emits {@linkcode OnlineEvent}s.
   * One stream at a time; a later subscription continues the weights, the
   * optimizer state and the step count.
   */
  // deno-doc-ignore private-type-ref -- OperatorFunction is rxjs's, documented there
  trainOn(): OperatorFunction<OnlineInput, OnlineEvent>;
  /**
   * The current weights as a model file, between two steps (training runs
   * synchronously per step, so a snapshot never sees half an update and
   * never waits). `meta.training` is merged with `{ step, samples }`.
   */
  snapshot(meta?: ModelMeta): ModelFile;
  /** Optimizer steps so far. */
  readonly steps: number;
  /** Samples received and not yet trained on: the partial batch plus the queue. */
  readonly pending: number;
}

/**
 * Builds an online learner: {@linkcode OnlineLearner.trainOn} is the
 * pipeable operator, {@linkcode OnlineLearner.snapshot} the model file of
 * the weights at any moment. Options are checked here, at once.
 *
 * Each batch of `batchSize` samples is scored (its mean loss, and accuracy
 * for classifiers, from the step's own forward pass before its update), then
 * trained on, then reported as a `batch` event. Every `window` samples a
 * `window` event reports the mean of those scores over the `window` samples
 * since the previous one (tumbling windows: when one is emitted it covers
 * exactly the last `window` samples). When the source completes, the last
 * partial batch is trained on and the open window reported with its `size`.
 *
 * Back-pressure: training runs synchronously inside the source's `next`, so
 * a synchronous source is paced by training and an asynchronous one has its
 * samples trained as they arrive; nothing queues. Training pauses only while
 * an asynchronous `createStep` builds the step or a checkpoint's `save`
 * promise is pending; samples arriving then wait in a queue of at most
 * `maxQueue` samples, and `overflow` says what a sample that finds it full
 * does. Memory is the step's buffers, one batch buffer and that queue,
 * whatever the stream's length.
 *
 * A sample of the wrong width is a TypeError naming its 0-based index in
 * the stream; a NaN or infinite loss is a RangeError naming the step.
 * Unsubscribing stops at once and closes the step.
 *
 * @example
 * ```ts ignore
 * const learner = onlineLearner({
 *   network, loss: crossEntropy(), optimizer: adam({ lr: 0.01 }), batchSize: 32, window: 2000,
 *   checkpoint: { everySteps: 1000, save: (c) => Deno.writeTextFile("live.ckpt.json", JSON.stringify(c)) },
 * });
 * sensor$.pipe(learner.trainOn(), filter((e) => e.type === "window"))
 *   .subscribe((e) => console.log(e.samples, e.accuracy));
 * const file = learner.snapshot({ name: "live" }); // ship it to the edge while it keeps learning
 * ```
 */
export function onlineLearner(options: OnlineOptions): OnlineLearner {
  const settings = checkOnlineOptions(options);
  const { network, loss, optimizer } = options;
  const output = network.layers[network.layers.length - 1];
  checkLossPairing(output.activation, loss, { units: output.units });
  // The optimizer state between subscriptions (the step holds it during one).
  let state: OptimizerState | undefined = options.resume &&
    restoreCheckpoint(options.resume, network, optimizer);
  let active: Session | undefined;
  const ctx: LearnerContext = {
    options,
    settings,
    kind: classification(network, loss),
    widths: { inputs: network.inputs, outputs: network.outputs },
    alloc: options.backend?.alloc ?? ((n: number) => new Float32Array(n)),
    runOptions: { lr: settings.lr },
    config: {
      epochs: 0, // online: no epochs and no random draws (seed and rng are there for the format)
      batchSize: settings.batchSize,
      lr: settings.lr,
      seed: 0,
      ...(settings.l2 === undefined ? {} : { l2: settings.l2 }),
      loss: pluginRef(loss),
      optimizer: pluginRef(optimizer),
    },
    progress: { steps: options.resume?.step ?? 0, samples: 0 },
  };
  const buildStep = () =>
    (options.createStep ?? createTrainStep)(network, {
      loss,
      optimizer,
      batchSize: settings.batchSize,
      ...(settings.l2 === undefined ? {} : { l2: settings.l2 }),
      ...(options.backend ? { backend: options.backend } : {}),
      ...(state ? { state } : {}),
    });
  const release = (session: Session): void => {
    const step = session.step;
    if (step) {
      try {
        step.settle?.();
        const held = step.state; // copied: a closed step's memory may be reused
        state = { t: held.t, slots: held.slots.map((slots) => slots.map((a) => a.slice())) };
      } catch { /* a failed worker's error was the stream's */ }
      step.close?.();
    }
    if (active === session) active = undefined;
  };

  const trainOn = (): OperatorFunction<OnlineInput, OnlineEvent> => (source$) =>
    new Observable<OnlineEvent>((subscriber) => {
      if (active) {
        subscriber.error(
          new TypeError(
            "The learner is already training on a stream: one stream at a time; merge the sources first",
          ),
        );
        return;
      }
      const session = openSession(ctx, subscriber);
      active = session;
      const started = (step: TrainStep): void => {
        if (session.closed) step.close?.();
        else session.ready(step);
      };
      let building: ReturnType<typeof buildStep> | undefined;
      try {
        building = buildStep();
      } catch (error) {
        session.fail(error);
      }
      // A step built at once is ready before the source emits: a synchronous source is then
      // trained as it emits rather than queued.
      if (building && !(building instanceof Promise)) started(building);
      // takeWhile ends a synchronous source as soon as the session fails.
      const source = session.closed
        ? undefined
        : source$.pipe(takeWhile(() => !session.closed)).subscribe({
          next: (input) => session.accept(input),
          error: (error) => session.fail(error),
          complete: () => session.end(),
        });
      if (building instanceof Promise) building.then(started, (error) => session.fail(error));
      return () => {
        session.closed = true;
        source?.unsubscribe();
        release(session);
      };
    });

  return {
    trainOn,
    snapshot(meta = {}) {
      active?.step?.settle?.();
      const { steps, samples } = ctx.progress;
      return toModelFile(network, {
        plugins: [pluginEntry(loss), pluginEntry(optimizer)],
        ...meta,
        training: { step: steps, samples, ...meta.training },
      });
    },
    get steps() {
      return ctx.progress.steps;
    },
    get pending() {
      return active ? active.queued + active.fill : 0;
    },
  };
}

/**
 * The online learner as one operator, for a stream that needs no snapshots:
 * `samples$.pipe(trainOn(options))` is `onlineLearner(options).trainOn()`.
 * See {@linkcode onlineLearner} for the batching, the windows, memory and
 * back-pressure.
 *
 * @example
 * ```ts ignore
 * samples$.pipe(
 *   trainOn({ network, loss: crossEntropy(), optimizer: adam({ lr: 0.01 }), batchSize: 32, window: 2000 }),
 *   filter((e) => e.type === "window"),
 * ).subscribe((e) => console.log(`${e.samples}: ${e.accuracy}`));
 * ```
 */
// deno-doc-ignore private-type-ref -- OperatorFunction is rxjs's, documented there
export function trainOn(options: OnlineOptions): OperatorFunction<OnlineInput, OnlineEvent> {
  return onlineLearner(options).trainOn();
}
