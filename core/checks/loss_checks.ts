/**
 * The math checks of a loss plugin: purity, finite values and the numerical
 * gradient check (with its fused path when the activation is known).
 *
 * @module
 */
import { checkLossGradient } from "./gradcheck.ts";
import type { ActivationPlugin, LossPlugin } from "../math/types.ts";
import {
  type CheckResult,
  fail,
  firstDifference,
  firstNonFinite,
  like,
  lossProbe,
  num,
  pass,
  thenDiffers,
} from "./_probes.ts";
import { gradDetail, gradError } from "./activation_checks.ts";

/**
 * Runs loss and gradient twice on the probes: results must match bit for bit
 * and `y` and `t` must be left as they were.
 *
 * @example
 * ```ts
 * import { checkLossPurity } from "./loss_checks.ts";
 * import type { LossPlugin } from "../math/types.ts";
 * let calls = 0;
 * const drifting: LossPlugin = {
 *   kind: "loss", name: "drifting", input: "values",
 *   loss: () => calls++,
 *   gradient: (_args, dy) => dy.data.fill(0),
 * };
 * checkLossPurity(drifting).ok; // false
 * ```
 */
export function checkLossPurity(plugin: LossPlugin): CheckResult {
  // moderate values: a small drift would vanish in the rounding of a huge loss
  const args = lossProbe(plugin, true), y0 = args.y.data.slice(), t0 = args.t.data.slice();
  const impure = (what: string) =>
    fail(
      "pure",
      new RangeError(
        `Impure plugin "${plugin.name}": ${what}; a plugin must depend on its inputs only (no Math.random, no state kept between calls)`,
      ),
    );
  const a = plugin.loss(args), b = plugin.loss(args);
  if (!Object.is(a, b) && a !== b) {
    return impure(`loss gave ${thenDiffers(a, b)} for the same batch`);
  }
  const dy = [like(args.y), like(args.y)];
  for (const out of dy) plugin.gradient(args, out);
  const changed = Math.max(firstDifference(args.y.data, y0), firstDifference(args.t.data, t0));
  if (changed >= 0) return impure(`loss or gradient changed its inputs y or t at index ${changed}`);
  const i = firstDifference(dy[0].data, dy[1].data);
  if (i >= 0) {
    return impure(
      `gradient gave ${thenDiffers(dy[0].data[i], dy[1].data[i])} for the same y = ${num(y0[i])}`,
    );
  }
  return pass("pure", "loss and gradient repeat exactly and leave their inputs alone");
}

/**
 * Runs loss and gradient on the probes (values and logits up to ±1e4,
 * probabilities including exactly 0 and 1): all must be finite.
 *
 * @example
 * ```ts
 * import { checkLossFinite } from "./loss_checks.ts";
 * import type { LossPlugin } from "../math/types.ts";
 * const naiveLog: LossPlugin = {
 *   kind: "loss", name: "naiveLog", input: "probabilities",
 *   loss: ({ y }) => -Math.log(y.data[1]),
 *   gradient: ({ y }, dy) => dy.data.forEach((_, i) => (dy.data[i] = -1 / y.data[i])),
 * };
 * checkLossFinite(naiveLog).ok; // false: y = 0 gives Infinity
 * ```
 */
export function checkLossFinite(plugin: LossPlugin): CheckResult {
  const args = lossProbe(plugin), value = plugin.loss(args), dy = like(args.y, NaN);
  const bad = (what: string) =>
    fail(
      "finite",
      new RangeError(
        `Non-finite output from "${plugin.name}": ${what}; keep outputs finite for every finite input, e.g. clamp probabilities away from 0 and 1`,
      ),
    );
  if (!Number.isFinite(value)) return bad(`loss is ${value} on the probe batch`);
  plugin.gradient(args, dy);
  const i = firstNonFinite(dy.data);
  if (i >= 0) {
    return bad(
      `gradient at y = ${num(args.y.data[i])}, t = ${num(args.t.data[i])} is ${dy.data[i]}`,
    );
  }
  const range = plugin.input === "probabilities" ? "probabilities in [0, 1]" : "|y| up to 1e4";
  return pass("finite", `loss and gradient stay finite for ${range}`);
}

/**
 * The numerical gradient check of core/checks/gradcheck.ts; with `activation` (the
 * one its fused path names) the fused path is checked too.
 *
 * @example
 * ```ts
 * import { checkLossGradients } from "./loss_checks.ts";
 * import type { LossPlugin } from "../math/types.ts";
 * const sse: LossPlugin = {
 *   kind: "loss", name: "sse", input: "values",
 *   loss: ({ y, t }) => Array.from(y.data, (v, i) => (v - t.data[i]) ** 2).reduce((a, b) => a + b, 0),
 *   gradient: ({ y, t }, dy) => y.data.forEach((v, i) => (dy.data[i] = v - t.data[i])),
 * };
 * checkLossGradients(sse).ok; // false: off by a factor 2
 * ```
 */
export function checkLossGradients(plugin: LossPlugin, activation?: ActivationPlugin): CheckResult {
  const report = checkLossGradient(plugin, activation ? { activation } : {});
  const fused = activation ? ` (fused path with "${activation.name}" included)` : "";
  if (report.ok) return { ...pass("gradient", gradDetail(report) + fused), grad: report };
  const fix = report.worst?.check === "gradient"
    ? "fix gradient so it is the derivative of loss"
    : `fix fused.loss and fused.gradient so they match loss through "${activation?.name}"`;
  return { ...fail("gradient", gradError(plugin.name, report, fix)), grad: report };
}
