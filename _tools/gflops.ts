/**
 * Prints GEMM GFLOPS per backend and shape as a table: the best of several
 * timed runs after a warm-up (which also lets the engine tier wasm up).
 * `--tfjs` adds TensorFlow.js' wasm backend (XNNPACK) as a peer, if present.
 *
 * @example
 * ```sh
 * deno run -A _tools/gflops.ts            # ts and wasm-simd
 * deno run -A _tools/gflops.ts --tfjs     # plus tfjs-backend-wasm 4.22
 * ```
 *
 * @module
 */
import type { Backend, GemmDims } from "../core/backend.ts";
import { tsBackend } from "../core/kernels.ts";
import { createWasmBackend } from "../core/wasm_backend.ts";

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

async function tfjsRunner(): Promise<Runner> {
  const { tfjsWasmRunner } = await import("./_tfjs_peer.ts");
  return await tfjsWasmRunner();
}

if (import.meta.main) {
  const runners: [string, Runner][] = [
    ["ts", backendRunner(tsBackend)],
    ["wasm-simd", backendRunner(createWasmBackend({ memoryMiB: 128 }))],
  ];
  if (Deno.args.includes("--tfjs")) runners.push(["tfjs-wasm", await tfjsRunner()]);
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
