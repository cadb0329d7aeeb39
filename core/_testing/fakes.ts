// Small inline plugins for core tests: core may not import plugins/.
import { elementwise } from "../math/elementwise.ts";
import type { LossPlugin, OptimizerPlugin } from "../math/types.ts";

export const fakeTanh = elementwise({
  name: "tanh",
  f: Math.tanh,
  df: (_x, y) => 1 - y * y,
});
export const fakeSigmoid = elementwise({
  name: "sigmoid",
  f: (x) => 1 / (1 + Math.exp(-x)),
  df: (_x, y) => y * (1 - y),
  probabilities: true,
});
export const fakeIdentity = elementwise({ name: "identity", f: (x) => x, df: () => 1 });
export const fakeRelu = elementwise({
  name: "relu",
  f: (x) => (x > 0 ? x : 0),
  df: (x) => (x > 0 ? 1 : 0),
  init: "he",
});

export const fakeMse: LossPlugin = {
  kind: "loss",
  name: "mse",
  input: "values",
  loss({ y, t }) {
    let s = 0;
    const n = y.rows * y.cols;
    for (let i = 0; i < n; i++) s += (y.data[i] - t.data[i]) ** 2;
    return s / n;
  },
  gradient({ y, t }, dy) {
    const n = y.rows * y.cols;
    for (let i = 0; i < n; i++) dy.data[i] = (2 * (y.data[i] - t.data[i])) / n;
  },
};

export const fakeSgd = (lr: number, clipNorm?: number): OptimizerPlugin => ({
  kind: "optimizer",
  name: "sgd",
  lr,
  slots: 0,
  ...(clipNorm === undefined ? {} : { clipNorm }),
  update(p, g, _slots, ctx) {
    for (let i = 0; i < p.length; i++) p[i] -= ctx.lr * g[i];
  },
});
