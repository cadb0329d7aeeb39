// Deliberately wrong plugins: each one must be refused by the registry with a
// message naming it. Also a plugin module for `deno task plugin:check` tests.
import { elementwise } from "../math/elementwise.ts";
import type { LossPlugin, OptimizerPlugin } from "../math/types.ts";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const swishDf = (x: number) => sigmoid(x) * (1 + x * (1 - sigmoid(x)));

/** Swish with a derivative off by a constant factor 1.5. */
export const offByFactor = elementwise({
  name: "myorg/swish",
  f: (x) => x * sigmoid(x),
  df: (x) => 1.5 * swishDf(x),
});

/** Swish whose "derivative" is that of softplus: σ(x). */
export const otherDerivative = elementwise({
  name: "myorg/swishSoftplusDf",
  f: (x) => x * sigmoid(x),
  df: (x) => sigmoid(x),
});

/** Swish written as x·eˣ / (1 + eˣ): right up to x ≈ 709, then Infinity / Infinity = NaN. */
export const nanForLarge = elementwise({
  name: "myorg/naiveSwish",
  f: (x) => (x * Math.exp(x)) / (1 + Math.exp(x)),
  df: swishDf,
});

/** An identity with a little noise: not a function of its input. */
export const impure = elementwise({
  name: "myorg/noisyIdentity",
  f: (x) => x * (1 + 1e-9 * Math.random()),
  df: () => 1,
});

/** Sum of squared errors with the gradient missing its factor 2. */
export const halfGradientLoss: LossPlugin = {
  kind: "loss",
  name: "myorg/sse",
  input: "values",
  loss: ({ y, t }) => Array.from(y.data, (v, i) => (v - t.data[i]) ** 2).reduce((a, b) => a + b, 0),
  gradient({ y, t }, dy) {
    for (let i = 0; i < y.data.length; i++) dy.data[i] = y.data[i] - t.data[i];
  },
};

/** Divides by the gradient: Infinity where a gradient is 0. */
export const dividingOptimizer: OptimizerPlugin = {
  kind: "optimizer",
  name: "myorg/newtonish",
  lr: 0.1,
  slots: 0,
  update(param, grad, _slots, { lr }) {
    for (let i = 0; i < param.length; i++) param[i] -= lr / grad[i];
  },
};
