// Warm-up fixtures shared by _warm_up_test.ts and _warm_up_bench.ts.
import type { WarmUp } from "../_warm_up.ts";

/** A stop flag as the pool shares it, set or not. */
export const flag = (set = false): Int32Array => {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  if (set) stop[0] = 1;
  return stop;
};

/** The default job's network and settings: 784-128-64-10, Adam, batch 64. */
export const mnistLike: Omit<WarmUp, "backend"> = {
  spec: {
    inputs: 784,
    layers: [
      { units: 128, activation: "relu" },
      { units: 64, activation: "relu" },
      { units: 10, activation: "softmax" },
    ],
  },
  loss: "crossEntropy",
  optimizer: { name: "adam", params: { lr: 0.001 } },
  batchSize: 64,
};
