/**
 * When a plugin's declared `kernel` may stand in for its own code. The promise
 * (`"relu"`: forward is max(z, 0) and backward dy · [z > 0]; `"adam"`: update
 * is exactly core/math/adam_rule.ts with the plugin's params) is verified once per
 * plugin object on float32 probes, as training runs, whether or not the
 * plugin went through a registry; a plugin that breaks it simply runs its own
 * code. The registry's checks report the same mismatches as errors. Internal.
 *
 * @module
 */
import { adamConstants, adamSettings, adamUpdate } from "./adam_rule.ts";
import type { ActivationPlugin, OptimizerPlugin } from "./types.ts";
import { GRAD_PROBE, like, PARAM_PROBE, probeMatrix, upstream } from "./probes.ts";

/** Where a plugin and its declared kernel part: what, at which probe, and the two values. */
export interface KernelMismatch {
  readonly what: string;
  readonly index: number;
  /** The probe input (activations) or start value (optimizers). */
  readonly at: number;
  readonly got: number;
  readonly want: number;
  /** The learning rate of the probe (optimizers). */
  readonly lr?: number;
}

const verdicts = new WeakMap<object, boolean>();

function trusted(plugin: object, mismatch: () => KernelMismatch | undefined): boolean {
  let ok = verdicts.get(plugin);
  if (ok === undefined) {
    try {
      ok = mismatch() === undefined;
    } catch {
      ok = false; // a plugin that throws on the probes runs its own code (and fails its checks)
    }
    verdicts.set(plugin, ok);
  }
  return ok;
}

/**
 * The first probe where a `kernel: "relu"` activation's forward or backward
 * is not max(z, 0) or dy · [z > 0] (float32, exact), or undefined.
 *
 * @example
 * ```ts ignore
 * reluMismatch(relu); // undefined
 * ```
 */
export function reluMismatch(plugin: ActivationPlugin): KernelMismatch | undefined {
  const z = probeMatrix(Float32Array), y = like(z, NaN), dz = like(z, NaN), n = z.data.length;
  const dy = upstream(z);
  plugin.forward(z, y);
  plugin.backward({ z, y, dy, dz });
  for (let i = 0; i < n; i++) {
    const x = z.data[i], want = x > 0 ? x : 0;
    if (!(y.data[i] === want)) return { what: "forward", index: i, at: x, got: y.data[i], want };
  }
  for (let i = 0; i < n; i++) {
    const x = z.data[i], want = x > 0 ? dy.data[i] : 0;
    if (!(dz.data[i] === want)) return { what: "backward", index: i, at: x, got: dz.data[i], want };
  }
  return undefined;
}

/**
 * The first value where a `kernel: "adam"` optimizer's updates differ from
 * core/math/adam_rule.ts with its params, bit for bit, over two learning rates and
 * steps 1–3 and 1000 (parameter, then the two moments); or undefined.
 *
 * @example
 * ```ts ignore
 * adamMismatch(adam()); // undefined
 * ```
 */
export function adamMismatch(plugin: OptimizerPlugin): KernelMismatch | undefined {
  if (plugin.slots !== 2) {
    return { what: "slot count", index: 0, at: NaN, got: plugin.slots, want: 2 };
  }
  const settings = adamSettings(plugin.params);
  for (const lr of [plugin.lr, plugin.lr / 3 + 1e-3]) {
    const got = [0, 1, 2].map(() => Float32Array.from(PARAM_PROBE));
    const want = [0, 1, 2].map(() => Float32Array.from(PARAM_PROBE));
    for (const s of [got, want]) s[1].fill(0), s[2].fill(0);
    const grad = Float32Array.from(GRAD_PROBE);
    for (const t of [1, 2, 3, 1000]) {
      plugin.update(got[0], grad, [got[1], got[2]], { lr, t });
      adamUpdate(want[0], grad, want[1], want[2], adamConstants(settings, lr, t));
    }
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < PARAM_PROBE.length; i++) {
        if (!Object.is(got[k][i], want[k][i])) {
          const what = ["parameter", "slot 0 (m)", "slot 1 (v)"][k];
          return { what, index: i, at: PARAM_PROBE[i], got: got[k][i], want: want[k][i], lr };
        }
      }
    }
  }
  return undefined;
}

/**
 * True when `plugin` declares `kernel: "relu"` and keeps the promise, so a
 * backend may write its output inside the matrix product.
 *
 * @example
 * ```ts ignore
 * reluKernel(relu); // true
 * reluKernel({ ...relu, forward: clipAt6 }); // false: its own forward runs
 * ```
 */
export function reluKernel(plugin: ActivationPlugin): boolean {
  return plugin.kernel === "relu" && trusted(plugin, () => reluMismatch(plugin));
}

/**
 * True when `plugin` declares `kernel: "adam"` and keeps the promise, so a
 * backend's Adam kernel may run in place of its `update`.
 *
 * @example
 * ```ts ignore
 * adamKernel(adam()); // true
 * adamKernel({ ...adam(), update() {} }); // false: its own update runs
 * ```
 */
export function adamKernel(plugin: OptimizerPlugin): boolean {
  return plugin.kernel === "adam" && trusted(plugin, () => adamMismatch(plugin));
}
