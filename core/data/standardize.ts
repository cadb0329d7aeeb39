import type { Batch } from "../math/types.ts";
import type { PrepareState, PrepareStep } from "./prepare_step.ts";

/** State of {@linkcode standardize}: per-feature mean and standard deviation of the training data. */
export interface StandardizeState extends PrepareState {
  /** Mean of each input feature over the training rows, one per input. */
  readonly mean: readonly number[];
  /** Population standard deviation of each input feature over the training rows; 1 for a constant feature. */
  readonly std: readonly number[];
}

/**
 * Feature standardization: x' = (x - mean) / std per feature, with mean and
 * std learned from the training data only (one pass before training) and
 * applied to validation data too. A constant feature keeps std 1. The
 * learned state is in the trainer's start event and in checkpoints, to apply
 * the same scaling at inference.
 *
 * @example
 * ```ts
 * import { standardize } from "./standardize.ts";
 * const x = { data: new Float32Array([1, 3]), rows: 2, cols: 1 };
 * const batch = { x, t: { data: new Float32Array(2), rows: 2, cols: 1 } };
 * const step = standardize();
 * const fit = step.fit!({ inputs: 1, outputs: 1 });
 * fit.add(batch);
 * step.create({ inputs: 1, outputs: 1 }, 2, fit.result()).apply(batch).x.data; // [-1, 1]
 * ```
 */
export function standardize(): PrepareStep {
  return {
    kind: "prepare",
    name: "standardize",
    fit({ inputs }) {
      // Sums of x - shift, with the first row as shift, keep the variance accurate for large means.
      const shift = new Float64Array(inputs), sum = new Float64Array(inputs);
      const sq = new Float64Array(inputs);
      let n = 0;
      return {
        add({ x }: Batch) {
          const d = x.data;
          if (n === 0 && x.rows > 0) { for (let j = 0; j < inputs; j++) shift[j] = d[j]; }
          for (let i = 0; i < x.rows; i++) {
            for (let j = 0, o = i * inputs; j < inputs; j++) {
              const v = d[o + j] - shift[j];
              sum[j] += v;
              sq[j] += v * v;
            }
          }
          n += x.rows;
        },
        result(): StandardizeState {
          const mean = Array.from(sum, (s, j) => shift[j] + s / n);
          const std = Array.from(sq, (s, j) => {
            const sd = Math.sqrt(Math.max(0, s / n - (sum[j] / n) ** 2));
            return sd > 1e-12 ? sd : 1;
          });
          return { mean, std };
        },
      };
    },
    create(widths, _maxRows, state) {
      const { mean, std } = (state ?? {}) as Partial<StandardizeState>;
      if (mean?.length !== widths.inputs || std?.length !== widths.inputs) {
        throw new TypeError(
          `Invalid standardize state: need mean and std for ${widths.inputs} features; fit it on the training data`,
        );
      }
      const m = Float32Array.from(mean), inv = Float32Array.from(std, (s) => 1 / s);
      const cols = widths.inputs;
      return {
        widths,
        apply(batch: Batch): Batch {
          const d = batch.x.data, n = batch.x.rows * cols;
          for (let i = 0; i < n; i += cols) {
            for (let j = 0; j < cols; j++) d[i + j] = (d[i + j] - m[j]) * inv[j];
          }
          return batch;
        },
      };
    },
  };
}
