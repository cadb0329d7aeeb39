import type { LossPlugin, Mat, PluginParams } from "../../core/math/types.ts";
import { logistic } from "../activations/_logistic.ts";
import { sameShape } from "./_shape.ts";

/** Options of {@linkcode binaryCrossEntropy}. */
export interface BinaryCrossEntropyOptions {
  /** Take raw scores z (identity output) instead of probabilities (default false). */
  fromLogits?: boolean;
}

const EPS = 1e-7;

/** Mean of max(z, 0) - z·t + log1p(e^-|z|), the loss of σ(z), which never overflows. */
function fromLogitsLoss(z: Mat, t: Mat): number {
  const n = sameShape("binaryCrossEntropy", z, t), zd = z.data, td = t.data;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const x = zd[i];
    s += Math.max(x, 0) - x * td[i] + Math.log1p(Math.exp(-Math.abs(x)));
  }
  return s / n;
}

/**
 * Binary cross-entropy, averaged over all n = rows·cols elements (each column
 * is its own yes/no question): L = -(1/n) Σ [t log y + (1 - t) log(1 - y)].
 *
 * - Default (input "probabilities", e.g. a sigmoid output): y is clamped to
 *   [1e-7, 1 - 1e-7] so the loss stays finite, and dL/dy = (y - t) / (y(1 - y) n)
 *   is taken at the clamped y, so saturated outputs still get a finite push.
 *   `fused` replaces sigmoid + loss by L = mean(max(z, 0) - zt + log1p(e^-|z|))
 *   and dL/dz = (y - t)/n.
 * - `fromLogits: true` (input "logits", identity output): the same stable formula
 *   in z, dL/dz = (σ(z) - t)/n.
 *
 * @example
 * ```ts
 * import { binaryCrossEntropy } from "./binary_cross_entropy.ts";
 * const bce = binaryCrossEntropy();
 * const y = { data: new Float32Array([0.5]), rows: 1, cols: 1 };
 * const t = { data: new Float32Array([1]), rows: 1, cols: 1 };
 * bce.loss({ y, t }); // Math.LN2
 * binaryCrossEntropy({ fromLogits: true }).params; // { fromLogits: 1 }
 * ```
 */
export function binaryCrossEntropy(
  { fromLogits = false }: BinaryCrossEntropyOptions = {},
): LossPlugin {
  const params = { fromLogits: fromLogits ? 1 : 0 };
  const configure = (p: PluginParams): LossPlugin => {
    for (const k in p) {
      if (k !== "fromLogits") throw new TypeError(`Unknown binaryCrossEntropy parameter: ${k}`);
    }
    const v = p.fromLogits ?? params.fromLogits;
    if (v !== 0 && v !== 1) {
      throw new RangeError(`Invalid binaryCrossEntropy fromLogits: ${v} is not 0 or 1`);
    }
    return binaryCrossEntropy({ fromLogits: v === 1 });
  };
  const base = {
    kind: "loss",
    name: "binaryCrossEntropy",
    version: "1.0.0",
    params,
    configure,
  } as const;
  if (fromLogits) {
    return {
      ...base,
      input: "logits",
      description: "L = mean(max(z, 0) - zt + log(1 + exp(-|z|)))",
      loss: ({ y, t }) => fromLogitsLoss(y, t),
      gradient({ y, t }, dy) {
        const n = sameShape("binaryCrossEntropy", y, t), yd = y.data, td = t.data, out = dy.data;
        for (let i = 0; i < n; i++) out[i] = (logistic(yd[i]) - td[i]) / n;
      },
    };
  }
  return {
    ...base,
    input: "probabilities",
    description: "L = -mean(t log y + (1 - t) log(1 - y))",
    loss({ y, t }) {
      const n = sameShape("binaryCrossEntropy", y, t), yd = y.data, td = t.data;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const p = Math.min(1 - EPS, Math.max(EPS, yd[i]));
        s -= td[i] * Math.log(p) + (1 - td[i]) * Math.log(1 - p);
      }
      return s / n;
    },
    gradient({ y, t }, dy) {
      const n = sameShape("binaryCrossEntropy", y, t), yd = y.data, td = t.data, out = dy.data;
      for (let i = 0; i < n; i++) {
        const p = Math.min(1 - EPS, Math.max(EPS, yd[i]));
        out[i] = (p - td[i]) / (p * (1 - p) * n);
      }
    },
    fused: {
      activation: "sigmoid",
      loss: fromLogitsLoss,
      gradient(_z, y, t, dz) {
        const n = sameShape("binaryCrossEntropy", y, t), yd = y.data, td = t.data, out = dz.data;
        for (let i = 0; i < n; i++) out[i] = (yd[i] - td[i]) / n;
      },
    },
  };
}
