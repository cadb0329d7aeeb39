import { MAX_MEMORY_MIB } from "./memory_limit.ts";
import { type AdamConstants, adamUpdate } from "../math/adam_rule.ts";
import { type Backend, type GemmDims, rowStride } from "../math/backend.ts";
import type { Floats } from "../math/types.ts";
import { kernelModule, type Kernels, wasmSimdSupported } from "./_kernels.ts";

export { wasmSimdSupported, type WasmSimdSupportOptions } from "./_kernels.ts";

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
  /**
   * The compiled kernels to instantiate: another backend's `module` (with the
   * same `fma`, over the same kind of memory), for example one posted to a
   * Worker, so that it skips compiling them again and shares their machine code.
   */
  readonly module?: WebAssembly.Module;
  /**
   * Run over this memory instead of a new one (`memoryMiB` is then ignored):
   * a `shared: true` memory lets threads run the kernels on the same arrays,
   * each with its own backend over its own `heap`.
   */
  readonly memory?: WebAssembly.Memory;
  /**
   * The byte range of `memory` this backend allocates in (default: all of it
   * above the kernels' own data). Threads sharing a memory need disjoint heaps.
   */
  readonly heap?: { readonly start: number; readonly end: number };
}

/** A {@linkcode Backend} running WebAssembly SIMD kernels, see {@linkcode createWasmBackend}. */
export interface WasmBackend extends Backend {
  /** The memory every `alloc`ated array is a view of. */
  readonly memory: WebAssembly.Memory;
  /** The compiled kernels, for {@linkcode WasmBackendOptions.module}. */
  readonly module: WebAssembly.Module;
  /** Floats every backend over these kernels reserves in its heap for their packing scratch. */
  readonly scratchFloats: number;
  /**
   * out = wa · a + wb · b element by element, in double precision rounded once
   * to float32 (as `out[i] = wa * a[i] + wb * b[i]` in TypeScript); a zero
   * weight drops its term. Arrays outside the memory are copied.
   */
  weightedSum(a: Floats, b: Floats, out: Floats, wa: number, wb: number): void;
  /** The ReLU's backward pass, see {@linkcode Backend.reluBackward}; arrays outside the memory run the plugin's loop. */
  reluBackward(z: Floats, dy: Floats, dz: Floats, count: number): void;
}

const ALIGN = 64;

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
  if (!Number.isInteger(mib) || mib < 2 || mib > MAX_MEMORY_MIB) {
    throw new RangeError(`Invalid memoryMiB: ${mib}, expected an integer in 2..${MAX_MEMORY_MIB}`);
  }
  const fma = options.fma ?? false;
  if (fma && !wasmSimdSupported({ relaxed: true })) {
    throw new TypeError("Unsupported option fma: this runtime has no relaxed SIMD");
  }
  const pages = mib * 16;
  const memory = options.memory ?? new WebAssembly.Memory({ initial: pages, maximum: pages });
  const shared = typeof SharedArrayBuffer === "function" &&
    memory.buffer instanceof SharedArrayBuffer;
  const module = options.module ??
    kernelModule(fma, shared);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const kernels = instance.exports as unknown as Kernels;
  const heap = options.heap ?? { start: kernels.heapBase(), end: memory.buffer.byteLength };
  if (
    !(heap.start >= kernels.heapBase() && heap.start <= heap.end &&
      heap.end <= memory.buffer.byteLength)
  ) {
    throw new RangeError(
      `Invalid heap: ${heap.start}..${heap.end} must lie in ${kernels.heapBase()}..${memory.buffer.byteLength}`,
    );
  }
  const end = heap.end;
  let top = heap.start;

  function reserve(floats: number): number {
    const ptr = Math.ceil(top / ALIGN) * ALIGN;
    if (ptr + floats * 4 > end) {
      throw new RangeError(
        `Out of wasm memory: ${floats} floats do not fit in ${
          ((end - heap.start) / 2 ** 20).toFixed(1)
        } MiB, raise memoryMiB`,
      );
    }
    top = ptr + floats * 4;
    return ptr;
  }

  const packAFloats = kernels.packScratchFloats(0), packBFloats = kernels.packScratchFloats(1);
  const scratchFloats = packAFloats + packBFloats;
  const packA = reserve(packAFloats), packB = reserve(packBFloats);

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
    epilogue: true,
    memory,
    module,
    scratchFloats,
    weightedSum(a: Floats, b: Floats, out: Floats, wa: number, wb: number): void {
      const n = out.length;
      checkLength(a, n, "a");
      checkLength(b, n, "b");
      if (inside(a) && inside(b) && inside(out)) {
        return kernels.weightedSum(a.byteOffset, b.byteOffset, out.byteOffset, n, wa, wb);
      }
      scoped(() => {
        const po = pointer(out, n, false);
        kernels.weightedSum(pointer(a, n, true), pointer(b, n, true), po, n, wa, wb);
        if (!inside(out)) out.set(view(po, n));
      });
    },
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
      const transA = dims.transA === true, lda = rowStride(m, k, transA, dims.lda);
      const rowsA = transA ? k : m,
        lengthA = rowsA === 0 ? 0 : lda * (rowsA - 1) + (transA ? m : k);
      checkLength(a, lengthA, "a");
      checkLength(b, k * n, "b");
      checkLength(c, m * n, "c");
      const { bias, relu } = dims;
      if (bias) checkLength(bias, n, "bias");
      if (relu) checkLength(relu, m * n, "relu");
      const flags = (dims.transA ? 1 : 0) | (dims.transB ? 2 : 0) | (dims.accumulate ? 4 : 0);
      if (
        inside(a) && inside(b) && inside(c) && (!bias || inside(bias)) && (!relu || inside(relu))
      ) {
        const pBias = bias ? bias.byteOffset : 0, pY = relu ? relu.byteOffset : 0;
        kernels.gemm(
          a.byteOffset,
          b.byteOffset,
          c.byteOffset,
          m,
          n,
          k,
          flags,
          packA,
          packB,
          pBias,
          pY,
          lda,
        );
        return;
      }
      scoped(() => {
        const pa = pointer(a, lengthA, true), pb = pointer(b, k * n, true);
        const pc = pointer(c, m * n, !!dims.accumulate);
        const pBias = bias ? pointer(bias, n, true) : 0,
          pY = relu ? pointer(relu, m * n, false) : 0;
        kernels.gemm(pa, pb, pc, m, n, k, flags, packA, packB, pBias, pY, lda);
        if (!inside(c)) c.set(view(pc, m * n));
        if (relu && !inside(relu)) relu.set(view(pY, m * n));
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
    reluBackward(z: Floats, dy: Floats, dz: Floats, count: number): void {
      checkLength(z, count, "z");
      checkLength(dy, count, "dy");
      checkLength(dz, count, "dz");
      if (inside(z) && inside(dy) && inside(dz)) {
        return kernels.reluBackward(z.byteOffset, dy.byteOffset, dz.byteOffset, count);
      }
      for (let i = 0; i < count; i++) dz[i] = dy[i] * (z[i] > 0 ? 1 : 0); // the plugin's loop
    },
    adam(param: Floats, grad: Floats, m: Floats, v: Floats, c: AdamConstants): void {
      const n = param.length;
      if (!(inside(param) && inside(grad) && inside(m) && inside(v))) {
        return adamUpdate(param, grad, m, v, c); // the same bits, in TypeScript
      }
      checkLength(grad, n, "grad");
      checkLength(m, n, "m");
      checkLength(v, n, "v");
      const { beta1, beta2, k1, k2, rate, unbias, decay, eps } = c;
      kernels.adam(
        param.byteOffset,
        grad.byteOffset,
        m.byteOffset,
        v.byteOffset,
        n,
        beta1,
        beta2,
        k1,
        k2,
        rate,
        unbias,
        decay,
        eps,
      );
    },
  };
}
