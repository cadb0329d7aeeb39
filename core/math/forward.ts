import type { Backend } from "./backend.ts";
import type { Layer } from "./network.ts";
import type { Mat } from "./types.ts";

/**
 * One dense layer forward: z = x W + b, y = h(z). Writes `z` and `y`
 * (both x.rows x layer.units). Shared by training and the edge inference path.
 * With a backend that fuses the epilogue, the bias is added inside the matrix
 * product, and so is the ReLU when `fuseRelu` says the activation keeps its
 * `kernel: "relu"` promise (the training step checks that once per layer).
 *
 * @example
 * ```ts ignore
 * forwardLayer(tsBackend, layer, { x, z, y });
 * ```
 */
export function forwardLayer(backend: Backend, layer: Layer, io: LayerIO, fuseRelu = false): void {
  const { x, z, y } = io, m = x.rows, n = layer.units, k = layer.inputs, bias = layer.bias;
  if (!backend.epilogue) {
    backend.gemm(x.data, layer.weights, z.data, { m, n, k });
    backend.addBias(z.data, bias, m, n);
  } else if (fuseRelu) {
    backend.gemm(x.data, layer.weights, z.data, { m, n, k, bias, relu: y.data });
    return;
  } else backend.gemm(x.data, layer.weights, z.data, { m, n, k, bias });
  layer.activation.forward(z, y);
}

/** The matrices one layer reads and writes in a forward pass. */
export interface LayerIO {
  /** Read: the layer's input rows, rows x `layer.inputs` (the previous layer's `y`). */
  readonly x: Mat;
  /** Written: pre-activations x W + b, rows x `layer.units`; backpropagation reads them. */
  readonly z: Mat;
  /** Written: outputs h(z), rows x `layer.units`; the next layer's `x`. */
  readonly y: Mat;
}
