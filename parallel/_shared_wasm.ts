/**
 * Planning one shared `WebAssembly.Memory` for a data-parallel step over the
 * wasm backend: the step's shared floats, then one heap per thread for its
 * backend's buffers and packing scratch. Every thread then runs the kernels
 * on the shared weights and batch rows in place, with no copies, and the
 * gradients are reduced by a wasm kernel. Internal.
 *
 * @module
 */
import { MAX_MEMORY_MIB, WASM_PAGE_BYTES } from "../core/wasm/memory_limit.ts";
import type { Backend } from "../core/math/backend.ts";
import { createWasmBackend, type WasmBackend } from "../core/wasm/wasm_backend.ts";
import { floatBytes, type LayoutSizes } from "./_layout.ts";

/** Pages of 64 KiB in the most memory a backend takes (MAX_MEMORY_MIB, 16 pages per MiB). */
const PAGE = WASM_PAGE_BYTES, MOST_PAGES = MAX_MEMORY_MIB * (2 ** 20 / WASM_PAGE_BYTES);

/** What each thread needs to build its backend over the shared memory. */
export interface SharedWasm {
  readonly memory: WebAssembly.Memory;
  /** The kernels compiled for a shared memory, posted to the workers. */
  readonly module: WebAssembly.Module;
  /** Byte offset of the step's floats in the memory. */
  readonly floatsAt: number;
  /** `heaps[thread]`: the byte range that thread's backend allocates in. */
  readonly heaps: readonly { readonly start: number; readonly end: number }[];
  /** Whether the kernels fuse multiply-adds (the `fma` option). */
  readonly fma: boolean;
}

function isWasm(backend: Backend): backend is WasmBackend {
  const wasm = backend as Partial<WasmBackend>;
  return wasm.memory instanceof WebAssembly.Memory && wasm.module instanceof WebAssembly.Module &&
    typeof wasm.scratchFloats === "number";
}

/**
 * Bytes a thread's backend allocates, with room to spare: its training step
 * for its share of the rows (weights, gradients, optimizer slots, a stats
 * copy; four buffers per layer; the rows themselves), the packing scratch,
 * and the copies of arrays outside the memory (validation batches).
 */
function heapBytes(sizes: LayoutSizes, scratchFloats: number): number {
  const params = sizes.tensors.reduce((a, b) => a + b, 0);
  const units = sizes.tensors.reduce((a, b, i) => (i % 2 ? a + b : a), 0);
  const rows = Math.ceil(sizes.batchSize / sizes.threads);
  const step = params * (3 + sizes.slots) + rows * (4 * units + sizes.inputs + sizes.outputs);
  const copies = 2 * rows * Math.max(sizes.inputs, units) + params;
  return Math.ceil((4 * 1.25 * (step + scratchFloats + copies) + 2 ** 20) / PAGE) * PAGE;
}

/**
 * Plans the shared memory for a step over `backend`; undefined when
 * `backend` is not a wasm one, the runtime lacks shared wasm memory, or it
 * would pass 4 GiB: the step then copies between each thread's own memory
 * and a SharedArrayBuffer instead.
 */
export function planSharedWasm(backend: Backend, sizes: LayoutSizes): SharedWasm | undefined {
  if (!isWasm(backend) || typeof SharedArrayBuffer !== "function") return undefined;
  const heap = heapBytes(sizes, backend.scratchFloats);
  const floatsAt = PAGE; // the kernels keep no data in memory: the first page is room to spare
  const firstHeap = Math.ceil((floatsAt + floatBytes(sizes)) / PAGE) * PAGE;
  const pages = (firstHeap + sizes.threads * heap) / PAGE;
  if (pages > MOST_PAGES) return undefined;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return undefined; // no shared wasm memory here (a browser without cross-origin isolation)
  }
  const heaps = Array.from({ length: sizes.threads }, (_, i) => ({
    start: firstHeap + i * heap,
    end: firstHeap + (i + 1) * heap,
  }));
  const fma = backend.name === "wasm-relaxed-simd";
  const module = createWasmBackend({ memory, heap: heaps[0], fma }).module;
  return { memory, module, floatsAt, heaps, fma };
}

/** Thread `thread`'s backend over the planned shared memory. */
export function threadBackend(plan: SharedWasm, thread: number): WasmBackend {
  const { memory, module, heaps, fma } = plan;
  return createWasmBackend({ memory, module, heap: heaps[thread], fma });
}
