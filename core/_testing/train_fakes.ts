// Inline plugins and helpers for trainer tests: core may not import plugins/.
import { createNetwork, type Network } from "../math/network.ts";
import { createRegistry } from "../checks/registry.ts";
import type { ActivationPlugin, LossPlugin, NetworkSpec, OptimizerPlugin } from "../math/types.ts";
import { fakeIdentity, fakeRelu, fakeSigmoid, fakeTanh } from "./fakes.ts";

export const fakeSoftmax: ActivationPlugin = {
  kind: "activation",
  name: "softmax",
  rowwise: true,
  probabilities: true,
  forward(z, y) {
    const c = z.cols;
    for (let o = 0; o < z.rows * c; o += c) {
      let max = -Infinity, sum = 0;
      for (let j = o; j < o + c; j++) max = Math.max(max, z.data[j]);
      for (let j = o; j < o + c; j++) sum += y.data[j] = Math.exp(z.data[j] - max);
      for (let j = o; j < o + c; j++) y.data[j] /= sum;
    }
  },
  backward({ z, y, dy, dz }) {
    const c = z.cols;
    for (let o = 0; o < z.rows * c; o += c) {
      let dot = 0;
      for (let j = o; j < o + c; j++) dot += dy.data[j] * y.data[j];
      for (let j = o; j < o + c; j++) dz.data[j] = y.data[j] * (dy.data[j] - dot);
    }
  },
};

/** Cross-entropy on softmax probabilities, with the fused (y - t)/rows path. */
export const fakeCrossEntropy: LossPlugin = {
  kind: "loss",
  name: "crossEntropy",
  input: "probabilities",
  loss({ y, t }) {
    let s = 0;
    for (let i = 0; i < y.rows * y.cols; i++) {
      if (t.data[i]) s -= t.data[i] * Math.log(Math.max(y.data[i], 1e-12));
    }
    return s / y.rows;
  },
  gradient({ y, t }, dy) {
    for (let i = 0; i < y.rows * y.cols; i++) {
      dy.data[i] = -t.data[i] / (Math.max(y.data[i], 1e-12) * y.rows);
    }
  },
  fused: {
    activation: "softmax",
    loss(z, t) {
      let s = 0;
      for (let o = 0; o < z.rows * z.cols; o += z.cols) {
        let max = -Infinity, sum = 0;
        for (let j = o; j < o + z.cols; j++) max = Math.max(max, z.data[j]);
        for (let j = o; j < o + z.cols; j++) sum += Math.exp(z.data[j] - max);
        for (let j = o; j < o + z.cols; j++) s += t.data[j] * (max + Math.log(sum) - z.data[j]);
      }
      return s / z.rows;
    },
    gradient(_z, y, t, dz) {
      for (let i = 0; i < y.rows * y.cols; i++) dz.data[i] = (y.data[i] - t.data[i]) / y.rows;
    },
  },
};

/** SGD with momentum: one slot per tensor, so checkpoints carry optimizer state. */
export const fakeMomentum = (lr: number, beta = 0.9): OptimizerPlugin => ({
  kind: "optimizer",
  name: "momentum",
  lr,
  slots: 1,
  params: { lr, beta },
  update(p, g, [v], ctx) {
    for (let i = 0; i < p.length; i++) {
      v[i] = beta * v[i] + g[i];
      p[i] -= ctx.lr * v[i];
    }
  },
});

export const trainRegistry = createRegistry([
  fakeTanh,
  fakeSigmoid,
  fakeIdentity,
  fakeRelu,
  fakeSoftmax,
]);

/** A network from the fake registry. */
export const net = (spec: NetworkSpec, seed = 1): Network =>
  createNetwork(spec, { registry: trainRegistry, seed });

/** All weights as one byte string, to compare runs bit for bit. */
export const weightBytes = (network: Network): string =>
  network.layers
    .flatMap((l) => [l.weights, l.bias])
    .map((a) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).join(","))
    .join("|");

/** A byte stream of `text`, in chunks of `chunk` characters (to cross chunk boundaries). */
export function textStream(text: string, chunk = 1 << 16): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

/** Seeded toy data: 2 features, label 1 when x0 + x1 > 1 (linearly separable). */
export function blobs(n: number, seed = 3): { x: number[][]; y: number[] } {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const x = Array.from({ length: n }, () => [rand(), rand()]);
  return { x, y: x.map(([a, b]) => (a + b > 1 ? 1 : 0)) };
}
