import type { Network } from "../core/math/network.ts";
import { createGradientStep } from "../core/math/backward.ts";
import type { LossPlugin } from "../core/math/types.ts";
import type { Arrays } from "./datasets/dataset.ts";

/** How a model does on a set of samples: mean loss and, for classification, accuracy. */
export interface Evaluation {
  readonly samples: number;
  readonly loss: number;
  /** Fraction right (0..1); only for classification. */
  readonly accuracy?: number;
}

/** Options of {@linkcode evaluate}. */
export interface EvaluateOptions {
  loss: LossPlugin;
  /** Report accuracy (classification). */
  accuracy: boolean;
  /** Rows per forward pass (default 500). */
  batchSize?: number;
}

/**
 * Evaluates a network on held-out samples without touching its weights.
 *
 * @example
 * ```ts ignore
 * const test = evaluate(network, dataset.test, { loss, accuracy: true });
 * test.accuracy; // e.g. 0.957
 * ```
 */
export function evaluate(network: Network, data: Arrays, options: EvaluateOptions): Evaluation {
  const step = createGradientStep(network, {
    loss: options.loss,
    batchSize: options.batchSize ?? 500,
  });
  const { loss, correct } = step.evaluate({
    x: { data: data.x, rows: data.rows, cols: data.inputs },
    t: { data: data.y, rows: data.rows, cols: data.outputs },
  });
  return {
    samples: data.rows,
    loss,
    ...(options.accuracy ? { accuracy: data.rows ? correct / data.rows : NaN } : {}),
  };
}
