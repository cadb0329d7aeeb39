/**
 * A training step of 784-128-64-10 (ReLU, ReLU, softmax, cross-entropy,
 * Adam) on 64 dense rows (standardized pixels have no zeros to skip), on one
 * thread and split over two (`parallel({ workers: 2 })`), in steady state
 * and in-process: no data loading and no trainer, only each batch copied
 * from a 60 MB pool as a loader would hand it over. Rounds of 300 steps of
 * each, taken in turn, so that both see the same minute of a shared
 * machine; prints each round's ratio and the medians. What two threads give
 * at most here, without the rest of a run (bench:peers' Fashion-MNIST row
 * measures whole runs). Another busy process shows at once: two threads
 * then wait for each other, and fall behind one.
 *
 * ```sh
 * deno run -A bench/parallel_steps.ts [rounds=15]
 * ```
 *
 * @module
 */
import { createRegistry } from "../core/checks/registry.ts";
import { createNetwork } from "../core/math/network.ts";
import { createTrainStep } from "../core/math/train_step.ts";
import { createWasmBackend } from "../core/wasm/wasm_backend.ts";
import { PRESETS } from "../jobs/presets.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { parallel } from "../parallel/parallel_step.ts";

const registry = createRegistry(builtinPlugins());
const ROWS = 20_000, BATCH = 64, INPUTS = 784, CLASSES = 10;
let seed = 3;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const pool = Float32Array.from({ length: ROWS * INPUTS }, () => (rand() + rand() - 1) * 2);
const labels = new Float32Array(ROWS * CLASSES);
for (let r = 0; r < ROWS; r++) labels[r * CLASSES + (r * 7) % CLASSES] = 1;
const x = new Float32Array(BATCH * INPUTS), t = new Float32Array(BATCH * CLASSES);
const batch = {
  x: { data: x, rows: BATCH, cols: INPUTS },
  t: { data: t, rows: BATCH, cols: CLASSES },
};
let at = 0;
/** The next batch of the pool, into the batch arrays. */
function next(): void {
  if (at + BATCH > ROWS) at = 0;
  x.set(pool.subarray(at * INPUTS, (at + BATCH) * INPUTS));
  t.set(labels.subarray(at * CLASSES, (at + BATCH) * CLASSES));
  at += BATCH;
}
const network = () =>
  createNetwork({ inputs: INPUTS, layers: PRESETS.mnist.layers }, { registry, seed: 1 });
const options = () => ({
  loss: registry.get("loss", "crossEntropy"),
  optimizer: registry.get("optimizer", "adam"),
  batchSize: BATCH,
  backend: createWasmBackend(),
});
const one = createTrainStep(network(), options());
// A step's update finishes at the next step (as in a run): a round ends with
// `settle`, so each round times whole steps.
const two = await parallel({ workers: 2 })(network(), options());

const STEPS = 300, rounds = Number(Deno.args[0] ?? 15);
/** Mean ms per step over a round of STEPS steps. */
function round(step: { run: typeof one.run; settle?: () => void }): number {
  const began = performance.now();
  for (let i = 0; i < STEPS; i++) {
    next();
    step.run(batch);
  }
  step.settle?.();
  return (performance.now() - began) / STEPS;
}
for (let i = 0; i < 3; i++) round(one), round(two); // warm-up
const ones: number[] = [], twos: number[] = [], ratios: number[] = [];
for (let i = 0; i < rounds; i++) {
  // Which goes first alternates, so a drift within a round weighs on both.
  let a: number, b: number;
  if (i % 2 === 0) a = round(one), b = round(two);
  else b = round(two), a = round(one);
  ones.push(a), twos.push(b), ratios.push(a / b);
}
two.close!();
const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
console.log(
  `one thread ${us(median(ones))} a step, two threads ${us(median(twos))}; ` +
    `two vs one, median of ${rounds} rounds: ${median(ratios).toFixed(2)}x`,
);
console.log(`rounds: ${ratios.map((r) => r.toFixed(2)).join(", ")}`);
console.log(`one thread by round: ${ones.map(us).join(", ")}`);
console.log(`two threads by round: ${twos.map(us).join(", ")}`);
