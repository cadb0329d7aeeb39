/**
 * W4 mnist-predict: the W1 network (784-128-64-10, ReLU, ReLU, softmax) run
 * forward on 64 MNIST test digits of every class, in-process: nagare's `predict` on its
 * TypeScript and its WebAssembly SIMD kernels, and TensorFlow.js
 * `model.predict` (a tensor in, its data out). Shared by `peers.ts`.
 *
 * @module
 */
import { createRegistry } from "../core/checks/registry.ts";
import { createNetwork } from "../core/math/network.ts";
import { predict } from "../core/wasm/predict.ts";
import { loadMnist } from "../jobs/datasets/mnist.ts";
import { PRESETS } from "../jobs/presets.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import type { Tfjs } from "./_tfjs.ts";

/** What one W4 run measured. */
export interface PredictResult {
  /** Median milliseconds per call, after a warm-up. */
  readonly ms: number;
  /** Calls per second at that median. */
  readonly callsPerSec: number;
  /** Which kernels ran. */
  readonly setup: string;
}

/**
 * `rows` test digits spread evenly over the test set (which is sorted by digit, so every
 * class is there, as in a request of mixed digits), rows x 784.
 */
async function digits(rows: number): Promise<Float32Array> {
  const { test } = await loadMnist();
  const all = test!.x.length / 784, x = new Float32Array(rows * 784);
  for (let r = 0; r < rows; r++) {
    const row = Math.floor(r * all / rows);
    x.set(test!.x.subarray(row * 784, (row + 1) * 784), r * 784);
  }
  return x;
}

/** Median ms per call of `run` over `calls` calls, after as many calls of warm-up. */
function medianMs(calls: number, run: () => void): number {
  for (let i = 0; i < calls; i++) run();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const began = performance.now();
    run();
    times.push(performance.now() - began);
  }
  return times.sort((a, b) => a - b)[calls >> 1];
}

const result = (ms: number, setup: string): PredictResult => ({
  ms,
  callsPerSec: 1000 / ms,
  setup,
});

/**
 * Times nagare's `predict` on `rows` digits with one backend.
 *
 * @example
 * ```ts ignore
 * await nagarePredict("wasm", 64, 2000); // { ms: 0.45, ... }
 * ```
 */
export async function nagarePredict(
  backend: "ts" | "wasm",
  rows: number,
  calls: number,
): Promise<PredictResult> {
  const network = createNetwork({ inputs: 784, layers: PRESETS.mnist.layers }, {
    registry: createRegistry(builtinPlugins()),
  });
  const x = { data: await digits(rows), rows, cols: 784 };
  const ms = medianMs(calls, () => predict(network, x, { backend }));
  return result(ms, `predict(), ${backend === "ts" ? "pure TS" : "wasm-simd"}`);
}

/**
 * Times TensorFlow.js `model.predict` on `rows` digits: the input tensor made
 * once, each call reading its output's data and disposing of it.
 *
 * @example
 * ```ts ignore
 * await tfjsPredict(await loadTfjs("wasm"), 64, 2000); // { ms: 0.6, ... }
 * ```
 */
export async function tfjsPredict(
  { tf, layers, backend }: Tfjs,
  rows: number,
  calls: number,
): Promise<PredictResult> {
  const model = layers.sequential({
    layers: [
      layers.layers.dense({ inputShape: [784], units: 128, activation: "relu" }),
      layers.layers.dense({ units: 64, activation: "relu" }),
      layers.layers.dense({ units: 10, activation: "softmax" }),
    ],
  });
  const x = tf.tensor2d(await digits(rows), [rows, 784]);
  const ms = medianMs(calls, () => {
    const y = model.predict(x);
    y.dataSync();
    y.dispose();
  });
  return result(ms, `tfjs-${backend} model.predict`);
}
