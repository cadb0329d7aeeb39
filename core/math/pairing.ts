import type { ActivationPlugin, LossPlugin } from "./types.ts";

/**
 * Throws a TypeError when the output activation and the loss do not fit:
 * a loss that wants probabilities after an activation that gives none, or a
 * loss that applies its own softmax/sigmoid after one that already did.
 *
 * @example
 * ```ts ignore
 * checkLossPairing(softmax, crossEntropy()); // fine
 * checkLossPairing(identity, crossEntropy()); // throws: use softmax or fromLogits
 * ```
 */
export function checkLossPairing(output: ActivationPlugin, loss: LossPlugin): void {
  if (loss.input === "probabilities" && !output.probabilities) {
    throw new TypeError(
      `Loss "${loss.name}" expects probabilities but the output activation "${output.name}" does not give them: use softmax (or sigmoid for one output) on the output layer, or the loss's fromLogits option`,
    );
  }
  if (loss.input === "logits" && output.probabilities) {
    throw new TypeError(
      `Loss "${loss.name}" expects logits but the output activation "${output.name}" already gives probabilities: use identity on the output layer, or drop fromLogits`,
    );
  }
}
