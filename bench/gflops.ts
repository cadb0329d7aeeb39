/**
 * Prints GEMM GFLOPS per backend and shape as a table: the best of several
 * timed runs after a warm-up (which also lets the engine tier wasm up).
 * `--tfjs` adds the TensorFlow.js 4.22 wasm backend (XNNPACK, SIMD, one
 * thread) as a peer; it is loaded from npm at run time only, so it stays out
 * of the project's dependencies (hence `--no-lock`).
 *
 * @example
 * ```sh
 * deno run -A bench/gflops.ts                    # ts, wasm-simd, wasm-relaxed-simd
 * deno run -A --no-lock bench/gflops.ts --tfjs   # plus tfjs-backend-wasm
 * ```
 *
 * @module
 */
import { loadTfjs, type Tfjs } from "./_tfjs.ts";
import type { Backend, GemmDims } from "../core/math/backend.ts";
import { tsBackend } from "../core/math/kernels.ts";
import { createWasmBackend, wasmSimdSupported } from "../core/wasm/wasm_backend.ts";

/** The shapes of the performance issue: m x k times k x n. */
export const SHAPES: readonly GemmDims[] = [
  { m: 64, n: 128, k: 784 },
  { m: 256, n: 256, k: 256 },
  { m: 1024, n: 1024, k: 1024 },
];

/** A GEMM to time: prepares its operands, then returns the function to call. */
export type Runner = (dims: GemmDims) => () => void;

function random(x: Float32Array, seed: number): Float32Array {
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32 - 0.5;
  }
  return x;
}

/** Runs the GEMM of `backend` on operands it allocated itself (so wasm is zero-copy). */
export function backendRunner(backend: Backend): Runner {
  return (dims) => {
    const a = random(backend.alloc(dims.m * dims.k), 1);
    const b = random(backend.alloc(dims.k * dims.n), 2);
    const c = backend.alloc(dims.m * dims.n);
    return () => backend.gemm(a, b, c, dims);
  };
}

/** Best GFLOPS of `run` over about `budgetMs` of runs, after a warm-up. */
export function measure(run: () => void, dims: GemmDims, budgetMs = 1000): number {
  const flops = 2 * dims.m * dims.n * dims.k;
  for (let t0 = performance.now(), i = 0; i < 3 || performance.now() - t0 < budgetMs / 4; i++) {
    run();
  }
  let best = Infinity;
  for (let t0 = performance.now(), i = 0; i < 3 || performance.now() - t0 < budgetMs; i++) {
    const t = performance.now();
    run();
    best = Math.min(best, performance.now() - t);
  }
  return flops / best / 1e6;
}

/** `tf.matMul` of a loaded TensorFlow.js (see bench/_tfjs.ts), read back each time. */
export function tfjsRunner({ tf }: Tfjs): Runner {
  return ({ m, n, k }) => {
    const a = tf.randomUniform([m, k], -0.5, 0.5), b = tf.randomUniform([k, n], -0.5, 0.5);
    return () => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    };
  };
}

if (import.meta.main) {
  const runners: [string, Runner][] = [
    ["ts", backendRunner(tsBackend)],
    ["wasm-simd", backendRunner(createWasmBackend({ memoryMiB: 128 }))],
  ];
  if (wasmSimdSupported({ relaxed: true })) {
    runners.push([
      "wasm-relaxed-simd",
      backendRunner(createWasmBackend({ memoryMiB: 128, fma: true })),
    ]);
  }
  if (Deno.args.includes("--tfjs")) runners.push(["tfjs-wasm", tfjsRunner(await loadTfjs("wasm"))]);
  const rows = SHAPES.map((dims) => {
    const row: Record<string, string> = { shape: `${dims.m}x${dims.k}x${dims.n}` };
    for (const [name, runner] of runners) {
      row[name] = measure(runner(dims), dims, dims.m * dims.n * dims.k > 1e8 ? 3000 : 1000)
        .toFixed(1);
    }
    return row;
  });
  console.log("GEMM GFLOPS (m x k x n, single thread, best run)");
  console.table(rows);
}
