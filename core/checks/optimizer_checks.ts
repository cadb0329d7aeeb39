/**
 * The math checks of an optimizer plugin: a few updates on a small tensor stay
 * finite, repeat exactly from the same start, and keep a declared kernel's promise.
 *
 * @module
 */
import { adamSettings } from "../math/adam_rule.ts";
import { adamMismatch } from "../math/kernel_trust.ts";
import type { OptimizerPlugin } from "../math/types.ts";
import {
  type CheckResult,
  fail,
  firstDifference,
  firstNonFinite,
  GRAD_PROBE,
  num,
  PARAM_PROBE,
  pass,
  probeUpdates,
  thenDiffers,
} from "./_probes.ts";

/**
 * Three updates on a small tensor (gradients from 1e-8 to 1e3), in float32 as
 * in training: parameters and slots must stay finite.
 *
 * @example
 * ```ts
 * import { checkOptimizerUpdate } from "./optimizer_checks.ts";
 * import type { OptimizerPlugin } from "../math/types.ts";
 * const bad: OptimizerPlugin = {
 *   kind: "optimizer", name: "bad", lr: 0.1, slots: 0,
 *   update: (p, g) => p.forEach((v, i) => (p[i] = v / g[i])),
 * };
 * checkOptimizerUpdate(bad).ok; // false: a zero gradient gives Infinity
 * ```
 */
export function checkOptimizerUpdate(plugin: OptimizerPlugin): CheckResult {
  const { param, slots } = probeUpdates(plugin);
  for (
    const [what, values] of [
      ["parameter", param],
      ...slots.map((s, k) => [`slot ${k}`, s] as const),
    ] as const
  ) {
    const i = firstNonFinite(values);
    if (i < 0) continue;
    const where = `${what} ${i} (start ${num(PARAM_PROBE[i])}, gradient ${num(GRAD_PROBE[i])})`;
    return fail(
      "update",
      new RangeError(
        `Non-finite update from "${plugin.name}": after 3 steps ${where} is ${
          values[i]
        } (float32); keep updates finite, e.g. add eps before dividing`,
      ),
    );
  }
  return pass(
    "update",
    `3 updates (lr ${plugin.lr}) keep parameters and slots finite in float32, as in training`,
  );
}

/**
 * Runs the same three updates twice from the same start: parameters and
 * slots must match bit for bit, and the gradient must be left as it was.
 *
 * @example
 * ```ts
 * import { checkOptimizerPurity } from "./optimizer_checks.ts";
 * import type { OptimizerPlugin } from "../math/types.ts";
 * const noisy: OptimizerPlugin = {
 *   kind: "optimizer", name: "noisy", lr: 0.1, slots: 0,
 *   update: (p, g, _s, { lr }) => p.forEach((v, i) => (p[i] = v - lr * g[i] * Math.random())),
 * };
 * checkOptimizerPurity(noisy).ok; // false
 * ```
 */
export function checkOptimizerPurity(plugin: OptimizerPlugin): CheckResult {
  const a = probeUpdates(plugin), b = probeUpdates(plugin);
  const impure = (what: string) =>
    fail(
      "pure",
      new RangeError(
        `Impure plugin "${plugin.name}": ${what}; an update must depend on param, grad, slots and the step only (no Math.random, no hidden state)`,
      ),
    );
  if (firstDifference(a.grad, Float32Array.from(GRAD_PROBE)) >= 0) {
    return impure("update changed grad, write into param and slots only");
  }
  let i = firstDifference(a.param, b.param);
  if (i >= 0) {
    return impure(
      `the same 3 updates gave parameter ${i} = ${thenDiffers(a.param[i], b.param[i])}`,
    );
  }
  for (let k = 0; k < a.slots.length; k++) {
    i = firstDifference(a.slots[k], b.slots[k]);
    if (i >= 0) {
      return impure(
        `the same 3 updates gave slot ${k}[${i}] = ${thenDiffers(a.slots[k][i], b.slots[k][i])}`,
      );
    }
  }
  return pass("pure", "the same updates from the same start give the same parameters and slots");
}

/**
 * For a plugin that declares `kernel: "adam"`: its updates on the probe (two
 * learning rates; steps 1–3 and 1000) must equal core/math/adam_rule.ts with the
 * plugin's `params`, bit for bit, with slots [m, v], since a backend may run
 * that rule in its place. Passes at once without a kernel.
 *
 * @example
 * ```ts
 * import { checkOptimizerKernel } from "./optimizer_checks.ts";
 * import type { OptimizerPlugin } from "../math/types.ts";
 * const sgdCallingItselfAdam: OptimizerPlugin = {
 *   kind: "optimizer", name: "fake", lr: 0.1, slots: 2, kernel: "adam",
 *   update: (p, g, _s, { lr }) => p.forEach((v, i) => (p[i] = v - lr * g[i])),
 * };
 * checkOptimizerKernel(sgdCallingItselfAdam).ok; // false
 * ```
 */
export function checkOptimizerKernel(plugin: OptimizerPlugin): CheckResult {
  if (plugin.kernel !== "adam") return pass("kernel", "no kernel declared");
  const miss = adamMismatch(plugin);
  if (!miss) {
    return pass("kernel", 'update is exactly the "adam" rule a backend may run in its place');
  }
  const s = adamSettings(plugin.params);
  const where = miss.what === "slot count"
    ? `it keeps ${miss.got} slots where Adam keeps 2 (m, v)`
    : `after steps 1, 2, 3 and 1000 at lr ${miss.lr} ${miss.what} ${miss.index} is ${miss.got} where Adam gives ${miss.want}`;
  return fail(
    "kernel",
    new RangeError(
      `Broken kernel promise from "${plugin.name}": it declares kernel "adam" but ${where} (core/math/adam_rule.ts with beta1 ${s.beta1}, beta2 ${s.beta2}, eps ${s.eps}, weightDecay ${s.weightDecay}); remove kernel or compute exactly that rule`,
    ),
  );
}
