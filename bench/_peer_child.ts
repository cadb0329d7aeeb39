/**
 * One measurement of `peers.ts`, in a process of its own so that peak memory
 * and JIT state belong to it alone. Takes a JSON spec as its argument and
 * prints one JSON line. Run with `--no-lock` (TensorFlow.js stays out of the
 * lockfile).
 *
 * @module
 */
import { createRegistry } from "../core/checks/registry.ts";
import { createWasmBackend } from "../core/wasm/wasm_backend.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { backendRunner, measure, type Runner, SHAPES, tfjsRunner } from "./gflops.ts";
import { nagareMnist, tfjsMnist } from "./_mnist.ts";
import { nagareFashion } from "./_fashion.ts";
import { loadTfjs } from "./_tfjs.ts";
import { handXor, tfjsXor, trainXor } from "./_xor.ts";
import { peakKb } from "./_peak.ts";
import { nagarePredict, tfjsPredict } from "./_predict.ts";

/** What a child measures. */
export type PeerSpec =
  | { task: "w1"; impl: "nagare"; backend: "ts" | "wasm"; workers: number; epochs: number }
  | { task: "w1"; impl: "tfjs-cpu" | "tfjs-wasm"; epochs: number }
  | { task: "fashion"; workers: number; epochs: number }
  | { task: "w2"; impl: "nagare" | "hand" | "tfjs-cpu" | "tfjs-wasm"; epochs: number; runs: number }
  | { task: "w3"; impl: "nagare" | "tfjs-cpu" | "tfjs-wasm"; budgetMs: number }
  | { task: "w4"; impl: "nagare-ts" | "nagare-wasm" | "tfjs-wasm"; rows: number; calls: number };

/** Peak resident memory of this process in MB (Linux), else the current one. */
function peakMB(): number {
  return peakKb() / 1024 || Deno.memoryUsage().rss / 2 ** 20;
}

/**
 * Best steps/s after one warm-up run, over at least `runs` timed runs and as
 * many more as fit in two seconds (the same rule for every implementation,
 * as for GEMM: a slow one makes fewer runs).
 */
async function stepsPerSec(epochs: number, runs: number, run: () => unknown): Promise<number> {
  await run();
  let best = Infinity;
  for (let i = 0, t0 = performance.now(); i < runs || performance.now() - t0 < 2000; i++) {
    const began = performance.now();
    await run();
    best = Math.min(best, performance.now() - began);
  }
  return epochs / best * 1000;
}

const tfjsOf = (impl: string) => loadTfjs(impl === "tfjs-cpu" ? "cpu" : "wasm");

async function measureSpec(spec: PeerSpec): Promise<Record<string, unknown>> {
  if (spec.task === "w1") {
    const result = spec.impl === "nagare"
      ? await nagareMnist(spec)
      : await tfjsMnist(await tfjsOf(spec.impl), spec.epochs);
    return { ...result, peakMB: peakMB() };
  }
  if (spec.task === "fashion") return { ...await nagareFashion(spec), peakMB: peakMB() };
  if (spec.task === "w2") {
    const { epochs, runs } = spec;
    if (spec.impl === "hand") {
      return { stepsPerSec: await stepsPerSec(epochs, runs, () => handXor(epochs)) };
    }
    if (spec.impl === "nagare") {
      const registry = createRegistry(builtinPlugins());
      return { stepsPerSec: await stepsPerSec(epochs, runs, () => trainXor(registry, epochs)) };
    }
    const tfjs = await tfjsOf(spec.impl);
    return { stepsPerSec: await stepsPerSec(epochs, runs, () => tfjsXor(tfjs, epochs)) };
  }
  if (spec.task === "w4") {
    const { rows, calls } = spec;
    if (spec.impl === "tfjs-wasm") {
      return { ...await tfjsPredict(await tfjsOf(spec.impl), rows, calls) };
    }
    return { ...await nagarePredict(spec.impl === "nagare-ts" ? "ts" : "wasm", rows, calls) };
  }
  const runner: Runner = spec.impl === "nagare"
    ? backendRunner(createWasmBackend({ memoryMiB: 128 }))
    : tfjsRunner(await tfjsOf(spec.impl));
  const gflops = SHAPES.map((dims) => {
    const big = dims.m * dims.n * dims.k > 1e8;
    return measure(runner(dims), dims, big ? 3 * spec.budgetMs : spec.budgetMs);
  });
  return { gflops };
}

if (import.meta.main) {
  const spec = JSON.parse(Deno.args[0]) as PeerSpec;
  console.log(JSON.stringify(await measureSpec(spec)));
}
