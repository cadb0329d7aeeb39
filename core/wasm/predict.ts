import { checkRows, predict as predictTs } from "../math/predict.ts";
import type { Network } from "../math/network.ts";
import type { Mat } from "../math/types.ts";
import { kernelModule, wasmSimdSupported } from "./_kernels.ts";
import { createWasmInference, type WasmInference } from "./wasm_inference.ts";

/** Which kernels {@linkcode predict} runs. */
export type PredictBackend = "ts" | "wasm" | "auto";

/** Options of {@linkcode predict}. */
export interface PredictOptions {
  /**
   * `"auto"` (default): WebAssembly SIMD where the runtime has it and the
   * batch fits, else TypeScript; `"wasm"`: SIMD or a TypeError; `"ts"`: the
   * pure TypeScript kernels, as on runtimes without wasm.
   */
  readonly backend?: PredictBackend;
}

const BACKENDS: readonly PredictBackend[] = ["ts", "wasm", "auto"];
/** The one inference engine of this process, made at the first wasm call. */
let engine: WasmInference | undefined;
/** Whether this runtime can run the kernels: SIMD, and compiling wasm from bytes allowed. */
let usable: boolean | undefined;

function wasmEngine(): WasmInference | undefined {
  if (usable === undefined) {
    try {
      usable = wasmSimdSupported();
      if (usable) engine = createWasmInference(kernelModule(false, false));
    } catch {
      // Validating passed but compiling or instantiating is refused (Cloudflare Workers and
      // Vercel Edge forbid compiling wasm at run time): TypeScript from now on.
      usable = false;
    }
  }
  return engine;
}

/**
 * Runs the network forward on a batch of rows and returns its outputs (rows x
 * network.outputs, a new array). The whole batch goes through each layer as
 * one matrix product with its bias and ReLU fused in, on WebAssembly SIMD
 * kernels where the runtime has them (compiled once, from bytes, at the first
 * call; their memory grows with the largest batch, up to 256 MiB) and in pure
 * TypeScript otherwise, for float64 networks, and when `backend` is `"ts"`.
 * Both agree within float32 rounding (the order of the sums differs). On
 * runtimes that forbid compiling wasm from bytes (Cloudflare Workers, Vercel
 * Edge) the edge handler passes a module its bundler imported instead.
 *
 * @example
 * ```ts ignore
 * const out = predict(network, { data: new Float32Array([0, 1]), rows: 1, cols: 2 });
 * const same = predict(network, x, { backend: "ts" }); // within float32 rounding of out
 * ```
 */
export function predict(network: Network, x: Mat, options: PredictOptions = {}): Mat {
  const backend = options.backend ?? "auto";
  if (!BACKENDS.includes(backend)) {
    throw new TypeError(
      `Unknown backend: ${JSON.stringify(backend)}, expected one of ${BACKENDS.join(", ")}`,
    );
  }
  checkRows(network, x);
  if (backend === "ts") return predictTs(network, x);
  const wasm = wasmEngine();
  if (!wasm && backend === "wasm") {
    throw new TypeError(
      "Unsupported backend wasm: this runtime has no WebAssembly SIMD or forbids compiling wasm, use ts or auto",
    );
  }
  const y = wasm?.run(network, x);
  if (y) return y;
  if (backend === "wasm" && x.rows > 0) {
    if (!(network.layers[0].weights instanceof Float32Array)) {
      throw new TypeError("Unsupported backend wasm: the network is float64, use ts or auto");
    }
    throw new RangeError(
      `Batch too large for backend wasm: ${x.rows} rows do not fit in 256 MiB of wasm memory, split it or use auto`,
    );
  }
  return predictTs(network, x);
}
