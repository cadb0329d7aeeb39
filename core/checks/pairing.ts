import type { ActivationPlugin, LossPlugin } from "../math/types.ts";

/** Options of {@linkcode checkLossPairing}. */
export interface PairingOptions {
  /** Units of the output layer: with it, widths that make a pairing meaningless are refused. */
  readonly units?: number;
}

/**
 * True when the loss reads a row of outputs as one distribution over classes:
 * it fuses with softmax, or it is the crossEntropy family (whose `fromLogits`
 * form applies softmax itself). binaryCrossEntropy (or a loss fused with
 * sigmoid) reads each output alone.
 */
export const rowwiseLoss = (l: LossPlugin): boolean =>
  l.fused?.activation === "softmax" || l.name === "crossEntropy";
const alone = (l: LossPlugin) =>
  l.fused?.activation === "sigmoid" || l.name === "binaryCrossEntropy";

/**
 * Why `loss` cannot train through the output activation `output` on `units` (a phrase from the
 * loss's quoted name to the fix), or undefined when they fit. Refused, first match first: a
 * row-wise loss on one unit; softmax on one unit (always 1); a row-wise loss after sigmoid
 * outputs; binaryCrossEntropy after softmax; probabilities wanted but not given; logits wanted
 * after probabilities.
 *
 * @example
 * ```ts ignore
 * lossPairingProblem(softmax, crossEntropy(), { units: 3 }); // undefined
 * lossPairingProblem(sigmoid, crossEntropy(), { units: 1 }); // '"crossEntropy" reads each row ...'
 * ```
 */
export function lossPairingProblem(
  output: ActivationPlugin,
  loss: LossPlugin,
  { units }: PairingOptions = {},
): string | undefined {
  const l = `"${loss.name}"`, a = `"${output.name}"`, probs = loss.input === "probabilities";
  const on = units === undefined ? "" : ` on ${units} unit${units === 1 ? "" : "s"}`;
  const row = `${l} reads each row of outputs as one distribution over classes but`;
  const one = loss.input === "logits"
    ? `binaryCrossEntropy with fromLogits for one identity output, or 2+ identity units (one per class) for ${l} with fromLogits`
    : `binaryCrossEntropy for one sigmoid output, or 2+ softmax units (one per class) for ${l}`;
  if (units === 1 && rowwiseLoss(loss)) {
    return `${row} the output layer has 1 unit (${a}): use ${one}`;
  }
  if (units === 1 && output.rowwise && output.probabilities) {
    return `${l} cannot learn through the output activation ${a} on 1 unit: ${a} over one output is always 1; use sigmoid or identity for one output, or 2+ ${a} units (one per class)`;
  }
  if (probs && rowwiseLoss(loss) && output.probabilities && !output.rowwise) {
    return `${row} the output activation ${a}${on} gives each output on its own, so a row need not sum to 1: use softmax on the output layer for one class per row, or binaryCrossEntropy for independent yes/no outputs`;
  }
  if (probs && alone(loss) && output.rowwise) {
    return `${l} treats each output as its own yes/no question but the output activation ${a}${on} makes the outputs of a row share one distribution: use crossEntropy with ${a} for one class per row, or sigmoid outputs for independent yes/no questions`;
  }
  if (probs && !output.probabilities) {
    return `${l} expects probabilities but the output activation ${a}${on} does not give them: use softmax on the output layer (sigmoid for one output), or the loss's fromLogits option`;
  }
  if (loss.input === "logits" && output.probabilities) {
    return `${l} expects logits but the output activation ${a}${on} already gives probabilities: use identity on the output layer, or drop fromLogits`;
  }
  return undefined;
}

/**
 * Throws a TypeError naming the loss, the output activation, its units and the fix when they do
 * not fit (see {@linkcode lossPairingProblem}); createGradientStep calls it with the output units.
 *
 * @example
 * ```ts ignore
 * checkLossPairing(softmax, crossEntropy(), { units: 10 }); // fine
 * checkLossPairing(sigmoid, crossEntropy(), { units: 1 }); // TypeError: Loss "crossEntropy" reads ...
 * ```
 */
export function checkLossPairing(
  output: ActivationPlugin,
  loss: LossPlugin,
  options?: PairingOptions,
): void {
  const problem = lossPairingProblem(output, loss, options);
  if (problem) throw new TypeError(`Loss ${problem}`);
}
