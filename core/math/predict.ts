import { forwardLayer } from "./forward.ts";
import { tsBackend } from "./kernels.ts";
import type { Network } from "./network.ts";
import type { Floats, Mat } from "./types.ts";

/**
 * Runs the network forward on a batch of rows and returns its outputs
 * (rows x network.outputs). Edge-safe: pure TypeScript kernels, no I/O, no
 * Deno or Node APIs, nothing but the network's activation plugins. The
 * public `predict` (core/wasm/predict.ts) runs WebAssembly SIMD kernels where
 * it can, and this where it cannot.
 *
 * @example
 * ```ts ignore
 * const out = predict(network, { data: new Float32Array([0, 1]), rows: 1, cols: 2 });
 * ```
 */
export function predict(network: Network, x: Mat): Mat {
  checkRows(network, x);
  const f64 = network.layers[0].weights instanceof Float64Array;
  const alloc = (n: number): Floats => (f64 ? new Float64Array(n) : new Float32Array(n));
  let input: Mat = x;
  for (const layer of network.layers) {
    const z = { data: alloc(x.rows * layer.units), rows: x.rows, cols: layer.units };
    const y = { data: alloc(x.rows * layer.units), rows: x.rows, cols: layer.units };
    forwardLayer(tsBackend, layer, { x: input, z, y });
    input = y;
  }
  return input;
}

/**
 * Throws a RangeError unless `x` holds whole rows as wide as the network's input.
 *
 * @example
 * ```ts ignore
 * checkRows(network, { data: new Float32Array(784), rows: 1, cols: 784 });
 * ```
 */
export function checkRows(network: Network, x: Mat): void {
  if (x.cols !== network.inputs) {
    throw new RangeError(
      `Input width mismatch: rows have ${x.cols} values but the network takes ${network.inputs}`,
    );
  }
  if (x.data.length < x.rows * x.cols) {
    throw new RangeError(
      `Input too short: ${x.data.length} values for ${x.rows} rows of ${x.cols}`,
    );
  }
}
