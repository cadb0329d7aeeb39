/**
 * Fashion-MNIST with W1's network (784-128-64-10, ReLU, ReLU, softmax,
 * cross-entropy, Adam at 1e-3, batch 64) read from the CSV that
 * `deno task bench:data` builds (60,000 rows; a tenth held out, leaving
 * 54,065 training rows): the data-parallel scaling on a data set seven times
 * MNIST's, through the CSV path of `deno task train --data`.
 *
 * @module
 */
import { fileStream } from "../jobs/file_data.ts";
import { parseRunConfig } from "../jobs/run_config.ts";
import { type MnistResult, timedJob } from "./_mnist.ts";

/** Where `deno task bench:data` (and `bench:peers`) keep the Fashion-MNIST CSV. */
export const FASHION_CSV = new URL("../.tmp-bench/fashion.csv", import.meta.url).pathname;

/**
 * Trains on the Fashion-MNIST CSV through `runJob`: samples/s over the whole
 * run, and over the epochs after the first (`laterSamplesPerSec`, each epoch
 * including its validation pass, as a user sees it).
 *
 * @example
 * ```ts ignore
 * await nagareFashion({ workers: 2, epochs: 3 }); // { laterSamplesPerSec: 45000, ... }
 * ```
 */
export function nagareFashion(
  options: { workers: number; epochs: number; csv?: string },
): Promise<MnistResult> {
  const config = parseRunConfig({
    dataset: { csv: options.csv ?? FASHION_CSV, target: "label" },
    layers: [
      { units: 128, activation: "relu" },
      { units: 64, activation: "relu" },
      { units: 10, activation: "softmax" },
    ],
    loss: "crossEntropy",
    optimizer: "adam",
    lr: 1e-3,
    batchSize: 64,
    validationSplit: 0.1,
    epochs: options.epochs,
    backend: "wasm",
    workers: options.workers,
  });
  return timedJob(config, { open: (path) => fileStream(Deno.openSync(path)) }, 1);
}
