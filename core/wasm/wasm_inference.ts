import { forwardLayer } from "../math/forward.ts";
import { reluKernel } from "../math/kernel_trust.ts";
import type { Backend, GemmDims } from "../math/backend.ts";
import type { Layer, Network } from "../math/network.ts";
import type { Floats, Mat } from "../math/types.ts";
import type { Kernels } from "./_kernels.ts";
import { WASM_PAGE_BYTES } from "./memory_limit.ts";

/** Options of {@linkcode createWasmInference}. */
export interface WasmInferenceOptions {
  /**
   * Most memory the kernels may take, in MiB (default 256): a batch whose
   * weights and rows do not fit is declined (`run` answers undefined) and
   * runs in TypeScript instead.
   */
  readonly maxMemoryMiB?: number;
}

/** Forward passes on WebAssembly SIMD kernels, see {@linkcode createWasmInference}. */
export interface WasmInference {
  /** `"wasm-simd"`. */
  readonly name: string;
  /**
   * The network's outputs for `x` (rows x network.outputs, a new array), or
   * undefined when these kernels decline: a float64 network, no rows, or a
   * batch too large for `maxMemoryMiB`. Checks nothing: `predict` does.
   */
  run(network: Network, x: Mat): Mat | undefined;
  /**
   * Copies `network`'s weights into the memory now, once, for a network that
   * no longer changes (a deployed model): its runs then read them there
   * instead of copying them in on every run (for one row of 784-128-64-10,
   * 16 µs a run instead of 28 µs). The engine keeps one network; keeping
   * another lets go of the first. Changing a kept network's weights
   * afterwards is not seen: keep it again. Gives false, keeping nothing,
   * when these kernels decline it (a float64 network, or weights too large
   * for `maxMemoryMiB`).
   */
  keep(network: Network): boolean;
  /** Bytes of wasm memory held now (0 before the first run or `keep`). */
  memoryBytes(): number;
}

/** Where a layer's weights and bias lie in the memory (byte offsets). */
interface Placed {
  readonly weights: number;
  readonly bias: number;
}

const ALIGN = 64;
/**
 * The largest batch run without packing the weights (`gemvRows`): packing
 * reads and writes all of a layer's weights, more than a few rows' work. Measured
 * (784-128-64-10, kept weights, medians in turn): 2 rows 31.5 µs against
 * 35.3 µs packed, 3 rows 35.0 against 50.4, 4 rows 47.7 against 61.2.
 */
const FEW_ROWS = 4;
/** The memory first made, in pages: 2 MiB, room for a small network and a few rows. */
const FIRST_PAGES = 32;

/**
 * Instantiates the nagare kernels from a compiled module, for inference only:
 * one memory, made at the first run and grown (up to `maxMemoryMiB`) when a
 * larger batch comes, holding the weights, the rows and every layer's output,
 * so each layer is one fused GEMM (bias and ReLU inside) over the whole batch
 * (for up to four rows, a product that reads the weights as they lie, with
 * the same bits: packing them would cost more than the rows' arithmetic).
 * The weights are copied in on every run (training changes them in place, and
 * the copy costs about one pass over them, as the GEMM's own packing does),
 * except those of a network given to `keep`, copied in once.
 * Takes a module rather than bytes, so that runtimes which forbid compiling
 * wasm at run time (Cloudflare Workers, Vercel Edge) can pass the one their
 * bundler imported. Needs WebAssembly SIMD: instantiating throws without it.
 *
 * @example
 * ```ts ignore
 * import kernels from "./kernels.wasm"; // a WebAssembly.Module, in workerd
 * const wasm = createWasmInference(kernels);
 * const y = wasm.run(network, x) ?? predict(network, x);
 * ```
 */
export function createWasmInference(
  module: WebAssembly.Module,
  options: WasmInferenceOptions = {},
): WasmInference {
  const maxMiB = options.maxMemoryMiB ?? 256;
  if (!Number.isInteger(maxMiB) || maxMiB < 1 || maxMiB > 4095) {
    throw new RangeError(`Invalid maxMemoryMiB: ${maxMiB}, expected an integer in 1..4095`);
  }
  const maxPages = maxMiB * 16;
  const memory = new WebAssembly.Memory({ initial: 0, maximum: maxPages });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const kernels = instance.exports as unknown as Kernels;
  const base = kernels.heapBase();
  const scratch = [kernels.packScratchFloats(0), kernels.packScratchFloats(1)];
  let top = 0, packA = 0, packB = 0;

  // The kept network: its weights from `base` on, and the first byte after them.
  let kept: { network: Network; layers: Placed[]; end: number } | undefined;

  const reserve = (floats: number): number => {
    const ptr = Math.ceil(top / ALIGN) * ALIGN;
    top = ptr + floats * 4;
    return ptr;
  };
  const view = (ptr: number, length: number) => new Float32Array(memory.buffer, ptr, length);
  const pointer = (x: Floats) => x.byteOffset;

  /** Bytes of a network's weights and biases, as `place` lays them out. */
  const weightBytes = (network: Network): number =>
    network.layers.reduce((sum, l) => sum + (l.weights.length + l.units) * 4 + 2 * ALIGN, 0);

  /**
   * Bytes a run of `rows` rows needs from `from` on: scratch, rows in, every
   * layer's z and y, and the weights unless kept.
   */
  const bytesFor = (network: Network, rows: number, from: number, weights: boolean): number => {
    let floats = scratch[0] + scratch[1] + rows * network.inputs;
    for (const layer of network.layers) floats += 2 * rows * layer.units;
    const copies = weights ? weightBytes(network) : 0;
    return from + floats * 4 + copies + ALIGN * (4 + 2 * network.layers.length);
  };

  /** Grows the memory to hold `bytes`; false when that passes `maxMemoryMiB` or the host refuses. */
  const fit = (bytes: number): boolean => {
    const pages = Math.max(FIRST_PAGES, Math.ceil(bytes / WASM_PAGE_BYTES));
    if (pages > maxPages) return false;
    const have = memory.buffer.byteLength / WASM_PAGE_BYTES;
    if (pages <= have) return true;
    try {
      memory.grow(pages - have);
      return true;
    } catch {
      return false; // the host refused the memory: TypeScript needs less at once
    }
  };

  /** Copies a layer's weights and bias in at `top`, and says where they lie. */
  const place = (layer: Layer): Placed => {
    const weights = reserve(layer.weights.length), bias = reserve(layer.units);
    view(weights, layer.weights.length).set(layer.weights);
    view(bias, layer.units).set(layer.bias);
    return { weights, bias };
  };

  /**
   * The fused dense-layer GEMM over arrays that all live in the memory, for
   * `forwardLayer` alone: forward products only (no transposes, no
   * accumulate, dense rows), whatever `dims` asks.
   */
  const backend: Backend = {
    name: "wasm-simd",
    epilogue: true,
    alloc: (length) => view(reserve(length), length).fill(0),
    gemm(a: Floats, b: Floats, c: Floats, dims: GemmDims): void {
      const { m, n, k, bias, relu } = dims;
      if (m > 0 && m <= FEW_ROWS && k > 0) { // a few rows: the same bits, the weights read as they lie
        kernels.gemvRows(
          pointer(a),
          pointer(b),
          pointer(c),
          m,
          n,
          k,
          bias ? pointer(bias) : 0,
          relu ? pointer(relu) : 0,
        );
        return;
      }
      kernels.gemm(
        pointer(a),
        pointer(b),
        pointer(c),
        m,
        n,
        k,
        0,
        packA,
        packB,
        bias ? pointer(bias) : 0,
        relu ? pointer(relu) : 0,
        0,
      );
    },
    addBias: (c, bias, rows, cols) => kernels.addBias(pointer(c), pointer(bias), rows, cols),
    colSums: (a, out, rows, cols) => kernels.colSums(pointer(a), pointer(out), rows, cols),
  };

  return {
    name: "wasm-simd",
    memoryBytes: () => memory.buffer.byteLength,
    keep(network: Network): boolean {
      kept = undefined;
      if (!(network.layers[0].weights instanceof Float32Array)) return false;
      if (!fit(base + weightBytes(network))) return false;
      top = base;
      const layers = network.layers.map(place);
      kept = { network, layers, end: top };
      return true;
    },
    run(network: Network, x: Mat): Mat | undefined {
      const rows = x.rows;
      if (rows === 0 || !(network.layers[0].weights instanceof Float32Array)) return undefined;
      const resident = kept?.network === network ? kept : undefined;
      const from = kept?.end ?? base; // a kept network's weights stay where they are
      if (!fit(bytesFor(network, rows, from, !resident))) return undefined;
      top = from;
      packA = reserve(scratch[0]);
      packB = reserve(scratch[1]);
      const cells = rows * x.cols;
      let input: Mat = { data: view(reserve(cells), cells), rows, cols: x.cols };
      input.data.set(x.data.subarray(0, cells));
      network.layers.forEach((layer, i) => {
        const units = layer.units, placed = resident?.layers[i] ?? place(layer);
        const z = { data: view(reserve(rows * units), rows * units), rows, cols: units };
        const y = { data: view(reserve(rows * units), rows * units), rows, cols: units };
        const copy = {
          ...layer,
          weights: view(placed.weights, layer.weights.length),
          bias: view(placed.bias, units),
        };
        forwardLayer(backend, copy, { x: input, z, y }, reluKernel(layer.activation));
        input = y;
      });
      return { data: input.data.slice(), rows, cols: input.cols };
    },
  };
}
