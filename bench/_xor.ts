/**
 * W2 xor-tiny: 2-8-1, tanh hidden, sigmoid output, MSE, SGD at 0.5, the four
 * XOR rows as one full batch. Shared by `xor_bench.ts` and `peers.ts`.
 *
 * @module
 */
import { lastValueFrom } from "rxjs";
import { inMemory } from "../core/data/in_memory.ts";
import { createNetwork, type Network } from "../core/math/network.ts";
import type { Registry } from "../core/checks/registry.ts";
import { train } from "../core/train/train.ts";
import { createTrainStep } from "../core/math/train_step.ts";
import type { Tfjs } from "./_tfjs.ts";

/** The four XOR rows and their targets. */
export const XOR_X: Float32Array = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]);
export const XOR_Y: Float32Array = new Float32Array([0, 1, 1, 0]);
const HIDDEN = 8, LR = 0.5;

/**
 * Trains xor-tiny for `epochs` steps through `train()` with its defaults
 * (batch events, shuffling, event-loop turns) and returns the steps taken.
 *
 * @example
 * ```ts ignore
 * await trainXor(createRegistry(builtinPlugins()), 5000); // 5000
 * ```
 */
export async function trainXor(
  registry: Registry,
  epochs: number,
  options: { batchEvents?: boolean } = {},
): Promise<number> {
  const last = await lastValueFrom(train({
    network: xorNetwork(registry),
    loss: registry.get("loss", "mse"),
    optimizer: registry.get("optimizer", { name: "sgd", params: { lr: LR } }),
    data: inMemory({ x: XOR_X, y: XOR_Y, inputs: 2, outputs: 1 }),
    epochs,
    batchSize: 4,
    ...options,
  }));
  return last.type === "end" ? last.steps : NaN;
}

function xorNetwork(registry: Registry): Network {
  return createNetwork({
    inputs: 2,
    layers: [{ units: HIDDEN, activation: "tanh" }, { units: 1, activation: "sigmoid" }],
  }, { registry, seed: 1 });
}

/**
 * The same network, loss and optimizer written by hand with no framework:
 * Float32Array weights, one fused loop per layer. The overhead floor for
 * `trainXor`. Returns the last loss.
 *
 * @example
 * ```ts
 * import { handXor } from "./_xor.ts";
 * handXor(5000) < 0.05; // true
 * ```
 */
export function handXor(epochs: number): number {
  const w1 = new Float32Array(2 * HIDDEN).map((_, i) => Math.sin(i + 1));
  const w2 = new Float32Array(HIDDEN).map((_, i) => Math.cos(i));
  const b1 = new Float32Array(HIDDEN), b2 = new Float32Array(1);
  const h = new Float32Array(4 * HIDDEN), dz2 = new Float32Array(4);
  let loss = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    loss = 0;
    for (let r = 0; r < 4; r++) {
      let z2 = b2[0];
      for (let j = 0; j < HIDDEN; j++) {
        const v = Math.tanh(XOR_X[2 * r] * w1[j] + XOR_X[2 * r + 1] * w1[HIDDEN + j] + b1[j]);
        h[r * HIDDEN + j] = v;
        z2 += v * w2[j];
      }
      const y = 1 / (1 + Math.exp(-z2)), e = y - XOR_Y[r];
      loss += e * e / 4;
      dz2[r] = 2 * e / 4 * y * (1 - y);
    }
    for (let j = 0; j < HIDDEN; j++) {
      let g2 = 0, g10 = 0, g11 = 0, gb = 0;
      for (let r = 0; r < 4; r++) {
        const v = h[r * HIDDEN + j], d = dz2[r] * w2[j] * (1 - v * v);
        g2 += v * dz2[r], g10 += XOR_X[2 * r] * d, g11 += XOR_X[2 * r + 1] * d, gb += d;
      }
      w2[j] -= LR * g2, w1[j] -= LR * g10, w1[HIDDEN + j] -= LR * g11, b1[j] -= LR * gb;
    }
    b2[0] -= LR * (dz2[0] + dz2[1] + dz2[2] + dz2[3]);
  }
  return loss;
}

/**
 * The same math by hand again, but layer by layer over the whole batch, the
 * way a framework is organised (matrix product, bias, activation, then back):
 * what the per-layer structure itself costs, with no calls and no checks.
 * Returns the last loss.
 *
 * @example
 * ```ts
 * import { handXorLayers } from "./_xor.ts";
 * handXorLayers(5000) < 0.05; // true
 * ```
 */
export function handXorLayers(epochs: number): number {
  const H = HIDDEN;
  const w1 = new Float32Array(2 * H).map((_, i) => Math.sin(i + 1)), b1 = new Float32Array(H);
  const w2 = new Float32Array(H).map((_, i) => Math.cos(i)), b2 = new Float32Array(1);
  const h = new Float32Array(4 * H), y = new Float32Array(4), dz2 = new Float32Array(4);
  const dz1 = new Float32Array(4 * H), gw1 = new Float32Array(2 * H), gb1 = new Float32Array(H);
  let loss = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let r = 0; r < 4; r++) {
      for (let j = 0; j < H; j++) {
        h[r * H + j] = b1[j] + XOR_X[2 * r] * w1[j] + XOR_X[2 * r + 1] * w1[H + j];
      }
    }
    for (let i = 0; i < 4 * H; i++) h[i] = Math.tanh(h[i]);
    for (let r = 0; r < 4; r++) {
      let s = b2[0];
      for (let j = 0; j < H; j++) s += h[r * H + j] * w2[j];
      y[r] = 1 / (1 + Math.exp(-s));
    }
    loss = 0;
    for (let r = 0; r < 4; r++) {
      const e = y[r] - XOR_Y[r];
      loss += e * e / 4;
      dz2[r] = 2 * e / 4 * y[r] * (1 - y[r]);
    }
    gw1.fill(0), gb1.fill(0);
    for (let r = 0; r < 4; r++) {
      for (let j = 0; j < H; j++) {
        const v = h[r * H + j], d = dz2[r] * w2[j] * (1 - v * v);
        dz1[r * H + j] = d;
        gw1[j] += XOR_X[2 * r] * d, gw1[H + j] += XOR_X[2 * r + 1] * d, gb1[j] += d;
      }
    }
    for (let j = 0; j < H; j++) {
      let g = 0;
      for (let r = 0; r < 4; r++) g += h[r * H + j] * dz2[r];
      w2[j] -= LR * g;
    }
    b2[0] -= LR * (dz2[0] + dz2[1] + dz2[2] + dz2[3]);
    for (let i = 0; i < 2 * H; i++) w1[i] -= LR * gw1[i];
    for (let j = 0; j < H; j++) b1[j] -= LR * gb1[j];
  }
  return loss;
}

/**
 * xor-tiny through the bare training step (`createTrainStep`) in a plain
 * loop: the framework's math with no trainer around it. Returns the last loss.
 *
 * @example
 * ```ts ignore
 * stepXor(createRegistry(builtinPlugins()), 5000) < 0.05; // true
 * ```
 */
export function stepXor(registry: Registry, epochs: number): number {
  const step = createTrainStep(xorNetwork(registry), {
    loss: registry.get("loss", "mse"),
    optimizer: registry.get("optimizer", { name: "sgd", params: { lr: LR } }),
    batchSize: 4,
  });
  const batch = { x: { data: XOR_X, rows: 4, cols: 2 }, t: { data: XOR_Y, rows: 4, cols: 1 } };
  const options = { lr: LR };
  let loss = NaN;
  for (let epoch = 0; epoch < epochs; epoch++) loss = step.run(batch, options);
  return loss;
}

/**
 * xor-tiny with TensorFlow.js as its guide writes it: `sequential`, `compile`
 * with SGD and mean squared error, one `fit` call for all the epochs.
 *
 * @example
 * ```ts ignore
 * await tfjsXor(await loadTfjs("cpu"), 5000);
 * ```
 */
export async function tfjsXor({ tf, layers }: Tfjs, epochs: number): Promise<void> {
  const x = tf.tensor2d(XOR_X, [4, 2]), y = tf.tensor2d(XOR_Y, [4, 1]);
  const model = layers.sequential({
    layers: [
      layers.layers.dense({ inputShape: [2], units: HIDDEN, activation: "tanh" }),
      layers.layers.dense({ units: 1, activation: "sigmoid" }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(LR), loss: "meanSquaredError" });
  await model.fit(x, y, { epochs, batchSize: 4, verbose: 0 });
  model.dispose();
  tf.dispose([x, y]);
}
