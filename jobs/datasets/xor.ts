import { allocArrays, type Dataset } from "./dataset.ts";

/**
 * The four XOR rows: the smallest problem a single neuron cannot solve and
 * one hidden layer can. Train and test are the same four rows.
 *
 * @example
 * ```ts
 * import { loadXor } from "./xor.ts";
 * loadXor().train.y; // Float32Array [0, 1, 1, 0]
 * ```
 */
export function loadXor(): Dataset {
  const train = allocArrays(4, 2, 1);
  train.x.set([0, 0, 0, 1, 1, 0, 1, 1]);
  train.y.set([0, 1, 1, 0]);
  return { name: "xor", train, test: train, labels: ["0", "1"] };
}
