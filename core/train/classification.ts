import { rowwiseLoss } from "../checks/pairing.ts";
import type { Network } from "../math/network.ts";
import type { LossPlugin, Mat } from "../math/types.ts";

/**
 * Whether accuracy means something for this network and loss:
 * - "multi": several outputs read as one class each (softmax-like row-wise
 *   probabilities, or logits for a loss that applies softmax itself), scored by arg-max;
 * - "binary": one probability output (sigmoid), scored at 0.5, and only while
 *   every target is exactly 0 or 1 (see {@linkcode binaryTargets});
 * - undefined: regression, or several independent outputs (multi-label:
 *   element-wise sigmoid, or logits for binary cross-entropy).
 */
export function classification(network: Network, loss: LossPlugin): "multi" | "binary" | undefined {
  const out = network.layers[network.layers.length - 1].activation;
  if (network.outputs > 1) {
    if (out.probabilities) return out.rowwise ? "multi" : undefined;
    return loss.input === "logits" && rowwiseLoss(loss) ? "multi" : undefined;
  }
  return out.probabilities ? "binary" : undefined;
}

/** True when every target in `t` is 0 or 1. */
export function binaryTargets(t: Mat): boolean {
  const d = t.data, n = t.rows * t.cols;
  for (let i = 0; i < n; i++) if (d[i] !== 0 && d[i] !== 1) return false;
  return true;
}
