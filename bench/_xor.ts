/**
 * W2 xor-tiny: 2-8-1, tanh hidden, sigmoid output, MSE, SGD at 0.5, the four
 * XOR rows as one full batch. Shared by `xor_bench.ts` and `peers.ts`.
 *
 * @module
 */
import { lastValueFrom } from "rxjs";
import { inMemory } from "../core/data/in_memory.ts";
import { createNetwork } from "../core/network.ts";
import type { Registry } from "../core/registry.ts";
import { train } from "../core/train.ts";
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
export async function trainXor(registry: Registry, epochs: number): Promise<number> {
  const network = createNetwork({
    inputs: 2,
    layers: [{ units: HIDDEN, activation: "tanh" }, { units: 1, activation: "sigmoid" }],
  }, { registry, seed: 1 });
  const last = await lastValueFrom(train({
    network,
    loss: registry.get("loss", "mse"),
    optimizer: registry.get("optimizer", { name: "sgd", params: { lr: LR } }),
    data: inMemory({ x: XOR_X, y: XOR_Y, inputs: 2, outputs: 1 }),
    epochs,
    batchSize: 4,
  }));
  return last.type === "end" ? last.steps : NaN;
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
