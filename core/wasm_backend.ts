import type { Backend, GemmDims } from "./backend.ts";
import type { Floats } from "./types.ts";
import { gemmRelaxedSimdBase64, gemmSimdBase64 } from "./wasm/_gemm_wasm.ts";

/** Options of {@linkcode createWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Size of the wasm memory in MiB (default 64). It is fixed: `alloc` and the
   * temporary copies of arrays that live outside it must fit, and in exchange
   * it never grows, so the views `alloc` returns never detach.
   */
  readonly memoryMiB?: number;
  /**
   * Use relaxed SIMD so the multiply-adds fuse where the CPU has FMA (about 20%
   * faster on x64). Results stay bit-identical from run to run on one machine
   * but may differ in the last bits between CPUs; the default (false) gives the
   * same bits on every engine. Needs `wasmSimdSupported({ relaxed: true })`.
   */
  readonly fma?: boolean;
}

/** Options of {@linkcode wasmSimdSupported}. */
export interface WasmSimdSupportOptions {
  /** Ask about relaxed SIMD (needed for `fma: true`) instead of plain SIMD. */
  readonly relaxed?: boolean;
}

/** A {@linkcode Backend} running WebAssembly SIMD kernels, see {@linkcode createWasmBackend}. */
export interface WasmBackend extends Backend {
  /** The memory every `alloc`ated array is a view of. */
  readonly memory: WebAssembly.Memory;
}

interface Kernels {
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
  ): void;
  addBias(c: number, bias: number, rows: number, cols: number): void;
  colSums(a: number, out: number, rows: number, cols: number): void;
}

const ALIGN = 64;
const PAGE = 65536;
/**
 * Tiny modules (as in wasm-feature-detect) returning i8x16.popcnt of a splat
 * (SIMD) and i8x16.relaxed_swizzle of two splats (relaxed SIMD), base64-encoded.
 */
const SIMD_PROBE = "AGFzbQEAAAABBQFgAAF7AwIBAAoKAQgAQQD9D/1iCw==";
const RELAXED_PROBE = "AGFzbQEAAAABBQFgAAF7AwIBAAoPAQ0AQQH9D0EC/Q/9gAIL";

const compiled = new Map<string, WebAssembly.Module>();

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

/** Compiles (once per variant) the embedded module. */
function kernelModule(base64: string): WebAssembly.Module {
  let module = compiled.get(base64);
  if (!module) {
    module = new WebAssembly.Module(bytes(base64));
    compiled.set(base64, module);
  }
  return module;
}

function checkLength(x: Floats, length: number, what: string): void {
  if (x.length < length) {
    throw new TypeError(`Array too short: ${what} has ${x.length} elements, needs ${length}`);
  }
}

/**
 * Creates the WebAssembly SIMD backend: a packed, cache-blocked GEMM whose 6 x 8
 * micro-kernel keeps a tile of C in SIMD registers, for all three layouts dense
 * layers use (A * B, A^T * B, A * B^T), plus SIMD `addBias` and `colSums`.
 *
 * Arrays from its `alloc` are views into the wasm memory and are used in place;
 * any other `Float32Array` or `Float64Array` works too, copied in and out. Results
 * are bit-identical from run to run (with `fma`, on one machine) and equal the
 * `"ts"` backend within float32 rounding (the summation order differs). The
 * first calls run in the engine's baseline tier; time it after a warm-up.
 * Compiles synchronously
 * (browsers allow that off the main thread only); never used by inference.
 *
 * @example
 * ```ts
 * import { createWasmBackend, wasmSimdSupported } from "./wasm_backend.ts";
 * if (wasmSimdSupported()) {
 *   const wasm = createWasmBackend({ memoryMiB: 16 });
 *   const a = wasm.alloc(2), b = wasm.alloc(2), c = wasm.alloc(1);
 *   a.set([1, 2]);
 *   b.set([3, 4]);
 *   wasm.gemm(a, b, c, { m: 1, n: 1, k: 2 }); // c[0] === 11
 * }
 * ```
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const mib = options.memoryMiB ?? 64;
  if (!Number.isInteger(mib) || mib < 2 || mib > 4095) {
    throw new RangeError(`Invalid memoryMiB: ${mib}, expected an integer in 2..4095`);
  }
  const fma = options.fma ?? false;
  if (fma && !wasmSimdSupported({ relaxed: true })) {
    throw new TypeError("Unsupported option fma: this runtime has no relaxed SIMD");
  }
  const pages = mib * 16;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const module = kernelModule(fma ? gemmRelaxedSimdBase64 : gemmSimdBase64);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const kernels = instance.exports as unknown as Kernels;
  const end = pages * PAGE;
  let top = kernels.heapBase();

  function reserve(floats: number): number {
    const ptr = Math.ceil(top / ALIGN) * ALIGN;
    if (ptr + floats * 4 > end) {
      throw new RangeError(
        `Out of wasm memory: ${floats} floats do not fit in ${mib} MiB, raise memoryMiB`,
      );
    }
    top = ptr + floats * 4;
    return ptr;
  }

  const packA = reserve(kernels.packScratchFloats(0));
  const packB = reserve(kernels.packScratchFloats(1));

  function view(ptr: number, length: number): Float32Array {
    return new Float32Array(memory.buffer, ptr, length);
  }
  function inside(x: Floats): x is Float32Array {
    return x instanceof Float32Array && x.buffer === memory.buffer;
  }
  /** Pointer to the first `length` floats of `x`, copied into scratch if `x` lives elsewhere. */
  function pointer(x: Floats, length: number, copy: boolean): number {
    if (inside(x)) return x.byteOffset;
    const ptr = reserve(length);
    if (copy) view(ptr, length).set(x.subarray(0, length));
    return ptr;
  }
  /** Runs `body` and frees the scratch it reserved (the copy path only: zero-copy calls skip it). */
  function scoped(body: () => void): void {
    const mark = top;
    try {
      body();
    } finally {
      top = mark;
    }
  }

  return {
    name: fma ? "wasm-relaxed-simd" : "wasm-simd",
    memory,
    alloc(length: number): Float32Array {
      if (!Number.isInteger(length) || length < 0) {
        throw new RangeError(`Invalid alloc length: ${length}`);
      }
      return view(reserve(length), length).fill(0);
    },
    gemm(a: Floats, b: Floats, c: Floats, dims: GemmDims): void {
      const { m, n, k } = dims;
      if (dims.transA && dims.transB) {
        throw new TypeError(
          "Unsupported gemm layout: transA and transB together are not needed by dense layers",
        );
      }
      checkLength(a, m * k, "a");
      checkLength(b, k * n, "b");
      checkLength(c, m * n, "c");
      const flags = (dims.transA ? 1 : 0) | (dims.transB ? 2 : 0) | (dims.accumulate ? 4 : 0);
      if (inside(a) && inside(b) && inside(c)) {
        kernels.gemm(a.byteOffset, b.byteOffset, c.byteOffset, m, n, k, flags, packA, packB);
        return;
      }
      scoped(() => {
        const pa = pointer(a, m * k, true), pb = pointer(b, k * n, true);
        const pc = pointer(c, m * n, !!dims.accumulate);
        kernels.gemm(pa, pb, pc, m, n, k, flags, packA, packB);
        if (!inside(c)) c.set(view(pc, m * n));
      });
    },
    addBias(c: Floats, bias: Floats, rows: number, cols: number): void {
      checkLength(c, rows * cols, "c");
      checkLength(bias, cols, "bias");
      if (inside(c) && inside(bias)) {
        return kernels.addBias(c.byteOffset, bias.byteOffset, rows, cols);
      }
      scoped(() => {
        const pc = pointer(c, rows * cols, true);
        kernels.addBias(pc, pointer(bias, cols, true), rows, cols);
        if (!inside(c)) c.set(view(pc, rows * cols));
      });
    },
    colSums(a: Floats, out: Floats, rows: number, cols: number): void {
      checkLength(a, rows * cols, "a");
      checkLength(out, cols, "out");
      if (inside(a) && inside(out)) {
        return kernels.colSums(a.byteOffset, out.byteOffset, rows, cols);
      }
      scoped(() => {
        const po = pointer(out, cols, false);
        kernels.colSums(pointer(a, rows * cols, true), po, rows, cols);
        if (!inside(out)) out.set(view(po, cols));
      });
    },
  };
}
