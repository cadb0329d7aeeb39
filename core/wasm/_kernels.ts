/**
 * The compiled WebAssembly kernels behind core/wasm/wasm_backend.ts: their exports
 * as TypeScript sees them, the SIMD feature probes, and the compile cache (one
 * module per build variant and kind of memory). Internal.
 *
 * @module
 */
import { gemmRelaxedSimdBase64, gemmSimdBase64 } from "./_gemm_wasm.ts";
import { sharedImport } from "./_shared_import.ts";

/** Options of {@linkcode wasmSimdSupported}. */
export interface WasmSimdSupportOptions {
  /** Ask about relaxed SIMD (needed for `fma: true`) instead of plain SIMD. */
  readonly relaxed?: boolean;
}

/** The kernels' exports; every pointer is a byte offset into the memory. */
export interface Kernels {
  heapBase(): number;
  packScratchFloats(which: number): number;
  gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    flags: number,
    pa: number,
    pb: number,
    bias: number,
    y: number,
    lda: number,
  ): void;
  gemvRows(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    bias: number,
    y: number,
  ): void;
  addBias(c: number, bias: number, rows: number, cols: number): void;
  colSums(a: number, out: number, rows: number, cols: number): void;
  reluBackward(z: number, dy: number, dz: number, n: number): void;
  weightedSum(a: number, b: number, out: number, n: number, wa: number, wb: number): void;
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    beta1: number,
    beta2: number,
    k1: number,
    k2: number,
    rate: number,
    unbias: number,
    decay: number,
    eps: number,
  ): void;
}

/**
 * Tiny modules (as in wasm-feature-detect) returning i8x16.popcnt of a splat
 * (SIMD) and i8x16.relaxed_swizzle of two splats (relaxed SIMD), base64-encoded.
 */
const SIMD_PROBE = "AGFzbQEAAAABBQFgAAF7AwIBAAoKAQgAQQD9D/1iCw==";
const RELAXED_PROBE = "AGFzbQEAAAABBQFgAAF7AwIBAAoPAQ0AQQH9D0EC/Q/9gAIL";

const compiled = new Map<string, WebAssembly.Module>();
const compiledShared = new Map<string, WebAssembly.Module>();

function bytes(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

/**
 * Whether this runtime runs WebAssembly with fixed-width SIMD, which
 * {@linkcode createWasmBackend} needs, or with relaxed SIMD, which its `fma`
 * option needs.
 *
 * @example
 * ```ts
 * import { wasmSimdSupported } from "./wasm_backend.ts";
 * const simd = wasmSimdSupported(); // true in Deno, Node 16.4+, current browsers
 * const fma = wasmSimdSupported({ relaxed: true }); // true in Deno 1.34+, Chrome 114+
 * ```
 */
export function wasmSimdSupported(options: WasmSimdSupportOptions = {}): boolean {
  const probe = options.relaxed ? RELAXED_PROBE : SIMD_PROBE;
  return typeof WebAssembly === "object" && WebAssembly.validate(bytes(probe));
}

/** Compiles (once per variant) the embedded kernels, importing a shared memory or not. */
export function kernelModule(fma: boolean, shared: boolean): WebAssembly.Module {
  const base64 = fma ? gemmRelaxedSimdBase64 : gemmSimdBase64;
  const cache = shared ? compiledShared : compiled;
  let module = cache.get(base64);
  if (!module) {
    module = new WebAssembly.Module(shared ? sharedImport(bytes(base64)) : bytes(base64));
    cache.set(base64, module);
  }
  return module;
}
