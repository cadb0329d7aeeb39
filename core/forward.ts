import type { Backend } from "./backend.ts";
import type { Layer } from "./network.ts";
import type { Mat } from "./types.ts";

/**
 * One dense layer forward: z = x W + b, y = h(z). Writes `z` and `y`
 * (both x.rows x layer.units). Shared by training and the edge inference path.
 * The bias is added inside the matrix product, and so is the activation when
 * it declares `kernel: "relu"` (the registry checked that it is max(z, 0)).
 *
 * @example
 * ```ts ignore
 * forwardLayer(tsBackend, layer, { x, z, y });
 * ```
 */
export function forwardLayer(backend: Backend, layer: Layer, io: LayerIO): void {
  const { x, z, y } = io, m = x.rows, n = layer.units, k = layer.inputs, bias = layer.bias;
  if (layer.activation.kernel === "relu") {
    backend.gemm(x.data, layer.weights, z.data, { m, n, k, bias, relu: y.data });
    return;
  }
  backend.gemm(x.data, layer.weights, z.data, { m, n, k, bias });
  layer.activation.forward(z, y);
}

/** The matrices one layer reads and writes in a forward pass. */
export interface LayerIO {
  readonly x: Mat;
  readonly z: Mat;
  readonly y: Mat;
}
