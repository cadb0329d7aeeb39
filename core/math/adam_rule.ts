/**
 * The Adam update rule (Kingma and Ba, 2015; with decoupled weight decay,
 * AdamW, Loshchilov and Hutter, 2019), written once: the `adam` and `adamw`
 * plugins run it, the registry checks plugins that declare `kernel: "adam"`
 * against it, and matrix backends may run the same float32 arithmetic on
 * SIMD lanes (`Backend.adam`), with bit-identical results.
 *
 * @module
 */
import type { Floats, PluginParams } from "./types.ts";

/** Adam's settings: the moment decays, ε and the decoupled weight decay (0 for plain Adam). */
export interface AdamSettings {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
}

/** The numbers one Adam step uses for every weight: see {@linkcode adamConstants}. */
export interface AdamConstants {
  /** β1: how much of the first moment (the mean gradient) each step keeps, e.g. 0.9. */
  readonly beta1: number;
  /** β2: how much of the second moment (the mean squared gradient) each step keeps, e.g. 0.999. */
  readonly beta2: number;
  /** 1 − β1: the weight of the new gradient in the first moment. */
  readonly k1: number;
  /** 1 − β2: the weight of the new squared gradient in the second moment. */
  readonly k2: number;
  /** lr / (1 − β1^t): the step size with the first moment's bias correction. */
  readonly rate: number;
  /** 1 / (1 − β2^t): the second moment's bias correction. */
  readonly unbias: number;
  /** 1 − lr·λ: the decoupled weight decay (1 for plain Adam). */
  readonly decay: number;
  /** ε, added to the root of the second moment so that a step stays finite where that moment is 0. */
  readonly eps: number;
}

/**
 * Adam's settings from an optimizer's `params` (`beta1`, `beta2`, `eps`,
 * `weightDecay`; defaults 0.9, 0.999, 1e-8, 0).
 *
 * @example
 * ```ts
 * import { adamSettings } from "./adam_rule.ts";
 * adamSettings({ lr: 0.01 }); // { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }
 * ```
 */
export function adamSettings(params: PluginParams = {}): AdamSettings {
  return {
    beta1: params.beta1 ?? 0.9,
    beta2: params.beta2 ?? 0.999,
    eps: params.eps ?? 1e-8,
    weightDecay: params.weightDecay ?? 0,
  };
}

/**
 * The constants of step `t` (1-based) at learning rate `lr`: the bias
 * corrections folded into `rate` and `unbias`, so that a weight costs one
 * division.
 *
 * @example
 * ```ts
 * import { adamConstants, adamSettings } from "./adam_rule.ts";
 * adamConstants(adamSettings(), 0.001, 1).rate; // ≈ 0.01 (0.001 / 0.1)
 * ```
 */
export function adamConstants(s: AdamSettings, lr: number, t: number): AdamConstants {
  return {
    beta1: s.beta1,
    beta2: s.beta2,
    k1: 1 - s.beta1,
    k2: 1 - s.beta2,
    rate: lr / (1 - s.beta1 ** t),
    unbias: 1 / (1 - s.beta2 ** t),
    decay: 1 - lr * s.weightDecay,
    eps: s.eps,
  };
}

/**
 * One Adam step over `param` with moments `m` and `v`:
 * m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², p = p·decay − rate·m / (√(v·unbias) + ε).
 * Float32 weights are updated in float32 arithmetic as in TensorFlow.js and PyTorch (each
 * operation rounded to float32, constants too: SIMD lanes give the same bits); float64 in float64.
 *
 * @example
 * ```ts
 * import { adamConstants, adamSettings, adamUpdate } from "./adam_rule.ts";
 * const p = new Float64Array([1]), g = new Float64Array([1]);
 * adamUpdate(p, g, new Float64Array(1), new Float64Array(1), adamConstants(adamSettings(), 0.1, 1));
 * // p[0] ≈ 0.9: the first step moves each weight by about lr
 * ```
 */
export function adamUpdate(
  param: Floats,
  grad: Floats,
  m: Floats,
  v: Floats,
  c: AdamConstants,
): void {
  if (param instanceof Float32Array) return adamUpdate32(param, grad, m, v, c);
  const { beta1, beta2, k1, k2, rate, unbias, decay, eps } = c;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i];
    const mi = beta1 * m[i] + k1 * g, vi = beta2 * v[i] + k2 * g * g;
    m[i] = mi, v[i] = vi;
    param[i] = param[i] * decay - rate * mi / (Math.sqrt(vi * unbias) + eps);
  }
}

/**
 * Each operation rounded by `Math.fround`: on float32 inputs that is the float32 operation's exact
 * result (float64 has over twice the precision), so this equals the wasm f32x4 kernel bit for bit.
 */
function adamUpdate32(param: Float32Array, grad: Floats, m: Floats, v: Floats, c: AdamConstants) {
  const f = Math.fround;
  const beta1 = f(c.beta1), beta2 = f(c.beta2), k1 = f(c.k1), k2 = f(c.k2);
  const rate = f(c.rate), unbias = f(c.unbias), decay = f(c.decay), eps = f(c.eps);
  for (let i = 0; i < param.length; i++) {
    const g = f(grad[i]);
    const mi = f(f(beta1 * f(m[i])) + f(k1 * g));
    const vi = f(f(beta2 * f(v[i])) + f(f(k2 * g) * g));
    m[i] = mi, v[i] = vi;
    param[i] = f(param[i] * decay) - f(f(rate * mi) / f(f(Math.sqrt(f(vi * unbias))) + eps));
  }
}
