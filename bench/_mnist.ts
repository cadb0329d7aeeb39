/**
 * W1 mnist-mlp: 784-128-64-10 (ReLU, ReLU, softmax), cross-entropy, Adam at
 * 1e-3, batch 64, on the 8,004 MNIST training digits in memory (no
 * validation split), scored on the 1,996 test digits. Shared by
 * `mnist_bench.ts` and the children of `peers.ts`.
 *
 * @module
 */
import { filter, lastValueFrom, toArray } from "rxjs";
import type { EpochEvent } from "../core/train/train_events.ts";
import { loadMnist } from "../jobs/datasets/mnist.ts";
import { parseRunConfig, type RunConfig } from "../jobs/run_config.ts";
import { type JobOptions, runJob } from "../jobs/run_job.ts";
import type { Tfjs } from "./_tfjs.ts";

/** What one W1 run measured. */
export interface MnistResult {
  /** Training samples per second over the whole `fit`/`train` call. */
  readonly samplesPerSec: number;
  /** Test accuracy, 0..1. */
  readonly accuracy: number;
  /** Threads and kernels actually used (nagare), or the backend (TensorFlow.js). */
  readonly setup: string;
  /**
   * nagare: samples/s over the epochs after the first two (W1, runs of 3
   * epochs or more) or the first (Fashion-MNIST), read from the run's own
   * epoch events (the first epochs are slower: start-up).
   */
  readonly laterSamplesPerSec?: number;
  /** Training samples, and when training began and ended (ms since the Unix epoch). */
  readonly window?: { readonly samples: number; readonly began: number; readonly ended: number };
}

/** Milliseconds since the Unix epoch, as precise as `performance.now()`. */
const wallClock = (): number => performance.timeOrigin + performance.now();

/**
 * Trains W1 with nagare through `runJob` (the path of `deno task train` and
 * the server), timing from subscription to completion, and the epochs after
 * the second on their own.
 *
 * @example
 * ```ts ignore
 * await nagareMnist({ backend: "wasm", workers: 1, epochs: 5 }); // { samplesPerSec: 25000, ... }
 * ```
 */
export function nagareMnist(
  options: { backend: "ts" | "wasm"; workers: number; epochs: number },
): Promise<MnistResult> {
  const { backend, workers, epochs } = options;
  const config = parseRunConfig({ dataset: "mnist", validationSplit: 0, backend, workers, epochs });
  return timedJob(config, {}, 2);
}

/**
 * Runs a job to completion, timing from subscription to the last epoch, and
 * the epochs after the first `skip` on their own (runs of `skip + 1` epochs
 * or more), from the run's own epoch events: the first epochs are slower
 * (start-up).
 *
 * @example
 * ```ts ignore
 * await timedJob(parseRunConfig({ dataset: "mnist", epochs: 3 }), {}, 1);
 * ```
 */
export async function timedJob(
  config: RunConfig,
  options: JobOptions,
  skip: number,
): Promise<MnistResult> {
  const job = await runJob(config, options);
  const began = wallClock();
  const ends = await lastValueFrom(job.events$.pipe(
    filter((e): e is EpochEvent => e.type === "epoch"),
    toArray(),
  ));
  const ended = wallClock(), n = ends.length, train = job.samples.train!, samples = train * n;
  return {
    samplesPerSec: samples / ((ended - began) / 1000),
    ...(n > skip
      ? {
        laterSamplesPerSec: train * (n - skip) * 1000 /
          (ends[n - 1].elapsedMs - (skip ? ends[skip - 1].elapsedMs : 0)),
      }
      : {}),
    accuracy: job.evaluateTest()?.accuracy ?? ends[n - 1].valAccuracy ?? NaN,
    setup: `${job.backend}, ${job.workers} thread${job.workers > 1 ? "s" : ""}`,
    window: { samples, began, ended },
  };
}

/**
 * Trains W1 with TensorFlow.js the way its guide does: a `sequential` model,
 * `compile` with Adam and accuracy, `fit` with shuffling, `evaluate`.
 *
 * @example
 * ```ts ignore
 * await tfjsMnist(await loadTfjs("wasm"), 5); // { samplesPerSec: 4600, ... }
 * ```
 */
export async function tfjsMnist(
  { tf, layers, backend }: Tfjs,
  epochs: number,
): Promise<MnistResult> {
  const { train, test } = await loadMnist();
  const x = tf.tensor2d(train.x, [train.rows, 784]), y = tf.tensor2d(train.y, [train.rows, 10]);
  const model = layers.sequential({
    layers: [
      layers.layers.dense({ inputShape: [784], units: 128, activation: "relu" }),
      layers.layers.dense({ units: 64, activation: "relu" }),
      layers.layers.dense({ units: 10, activation: "softmax" }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  const began = performance.now();
  await model.fit(x, y, { epochs, batchSize: 64, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - began) / 1000;
  const tx = tf.tensor2d(test!.x, [test!.rows, 784]), ty = tf.tensor2d(test!.y, [test!.rows, 10]);
  const [, accuracy] = model.evaluate(tx, ty, { batchSize: 256 });
  return {
    samplesPerSec: train.rows * epochs / seconds,
    accuracy: (await accuracy.data())[0],
    setup: `tfjs-${backend}`,
  };
}
