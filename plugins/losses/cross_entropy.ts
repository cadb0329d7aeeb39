import type { LossPlugin, Mat, PluginParams } from "../../core/math/types.ts";
import { softmax } from "../activations/softmax.ts";
import { sameShape } from "./_shape.ts";

/** Options of {@linkcode crossEntropy}. */
export interface CrossEntropyOptions {
  /** Take raw scores z (identity output) instead of softmax probabilities (default false). */
  fromLogits?: boolean;
}

const EPS = 1e-12;

/** log Σ_j e^(z_j) over one row, shifted by the row max so exp never overflows. */
function logSumExp(zd: Mat["data"], o: number, cols: number): number {
  let max = -Infinity, s = 0;
  for (let j = o; j < o + cols; j++) if (zd[j] > max) max = zd[j];
  for (let j = o; j < o + cols; j++) s += Math.exp(zd[j] - max);
  return max + Math.log(s);
}

/** Mean over rows of Σ_j t_j (lse(z) - z_j), i.e. -Σ t log softmax(z). */
function fromLogitsLoss(z: Mat, t: Mat): number {
  const n = sameShape("crossEntropy", z, t), zd = z.data, td = t.data, c = z.cols;
  let s = 0;
  for (let o = 0; o < n; o += c) {
    const lse = logSumExp(zd, o, c);
    for (let j = o; j < o + c; j++) if (td[j] !== 0) s += td[j] * (lse - zd[j]);
  }
  return s / z.rows;
}

/** dz_j = (p_j Σ_k t_k - t_j)/rows with p = softmax(z): (p - t)/rows for one-hot t. */
function softmaxGradient(p: Mat, t: Mat, dz: Mat): void {
  const n = sameShape("crossEntropy", p, t), pd = p.data, td = t.data, out = dz.data, c = p.cols;
  for (let o = 0; o < n; o += c) {
    let sum = 0;
    for (let j = o; j < o + c; j++) sum += td[j];
    for (let j = o; j < o + c; j++) out[j] = (pd[j] * sum - td[j]) / p.rows;
  }
}

/**
 * Categorical cross-entropy: L = mean over rows of -Σ_j t_j log y_j, with
 * one-hot (or probability) target rows.
 *
 * - Default (input "probabilities", a softmax output): y is clamped to ≥ 1e-12,
 *   dL/dy = -t / (y·rows) (taken at the clamped y). `fused` replaces softmax +
 *   loss by L = mean over rows of Σ_j t_j (logΣ_k e^(z_k) - z_j) and
 *   dL/dz = (y - t)/rows (y·Σ_k t_k - t in general).
 * - `fromLogits: true` (input "logits", identity output): log-softmax applied
 *   inside with the same log-sum-exp formula, dL/dz = (softmax(z) - t)/rows.
 *
 * @example
 * ```ts
 * import { crossEntropy } from "./cross_entropy.ts";
 * const y = { data: new Float32Array([0.5, 0.5]), rows: 1, cols: 2 };
 * const t = { data: new Float32Array([1, 0]), rows: 1, cols: 2 };
 * crossEntropy().loss({ y, t }); // Math.LN2
 * crossEntropy({ fromLogits: true }).input; // "logits"
 * ```
 */
export function crossEntropy({ fromLogits = false }: CrossEntropyOptions = {}): LossPlugin {
  const params = { fromLogits: fromLogits ? 1 : 0 };
  const configure = (p: PluginParams): LossPlugin => {
    for (const k in p) {
      if (k !== "fromLogits") throw new TypeError(`Unknown crossEntropy parameter: ${k}`);
    }
    const v = p.fromLogits ?? params.fromLogits;
    if (v !== 0 && v !== 1) {
      throw new RangeError(`Invalid crossEntropy fromLogits: ${v} is not 0 or 1`);
    }
    return crossEntropy({ fromLogits: v === 1 });
  };
  const base = { kind: "loss", name: "crossEntropy", version: "1.0.0", params, configure } as const;
  if (fromLogits) {
    return {
      ...base,
      input: "logits",
      description: "L = mean over rows of -sum_j t_j log softmax(z)_j",
      loss: ({ y, t }) => fromLogitsLoss(y, t),
      gradient({ y, t }, dy) {
        sameShape("crossEntropy", y, t);
        softmax.forward(y, dy);
        softmaxGradient(dy, t, dy);
      },
    };
  }
  return {
    ...base,
    input: "probabilities",
    description: "L = mean over rows of -sum_j t_j log y_j",
    loss({ y, t }) {
      const n = sameShape("crossEntropy", y, t), yd = y.data, td = t.data;
      let s = 0;
      for (let i = 0; i < n; i++) if (td[i] !== 0) s -= td[i] * Math.log(Math.max(EPS, yd[i]));
      return s / y.rows;
    },
    gradient({ y, t }, dy) {
      const n = sameShape("crossEntropy", y, t), yd = y.data, td = t.data, out = dy.data;
      for (let i = 0; i < n; i++) out[i] = -td[i] / (Math.max(EPS, yd[i]) * y.rows);
    },
    fused: {
      activation: "softmax",
      loss: fromLogitsLoss,
      gradient: (_z, y, t, dz) => softmaxGradient(y, t, dz),
    },
  };
}
