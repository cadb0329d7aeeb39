import { adamConstants, adamSettings } from "./adam_rule.ts";
import { adamKernel } from "./kernel_trust.ts";
import type { Backend } from "./backend.ts";
import type { Floats, Mutable, OptimizerPlugin, UpdateContext } from "./types.ts";

/** An optimizer's whole state: the step count and its slot arrays per tensor. Serializable. */
export interface OptimizerState {
  /** Steps taken so far. */
  t: number;
  /** `slots[i]` are the optimizer's state arrays for parameter tensor i. */
  slots: Floats[][];
}

/**
 * Fresh state for `optimizer` over these parameter tensors (all slots zero).
 *
 * @example
 * ```ts ignore
 * const state = createOptimizerState(adam(), parameters(network));
 * ```
 */
export function createOptimizerState(
  optimizer: OptimizerPlugin,
  params: readonly Floats[],
  alloc: (n: number) => Floats = (n) => new Float32Array(n),
): OptimizerState {
  return {
    t: 0,
    slots: params.map((p) => Array.from({ length: optimizer.slots }, () => alloc(p.length))),
  };
}

/** Global L2 norm of several arrays taken together. */
export function globalNorm(arrays: readonly Floats[]): number {
  let sum = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) sum += a[i] * a[i];
  return Math.sqrt(sum);
}

/**
 * One optimizer step over all tensors: clips the gradients by global norm when
 * the optimizer asks for it, then lets the plugin update each tensor in a fixed
 * order. Returns the gradients' global norm before clipping.
 *
 * @example
 * ```ts ignore
 * applyOptimizer(optimizer, { params, grads, state, lr: 0.01 });
 * ```
 */
export function applyOptimizer(
  optimizer: OptimizerPlugin,
  step: OptimizerStep,
): number {
  const norm = globalNorm(step.grads);
  updateParams(optimizer, step, norm);
  return norm;
}

/** What one optimizer step reads and writes. */
export interface OptimizerStep {
  /** Parameter tensors, updated in place, in `parameters(network)` order: W0, b0, W1, b1, ... */
  readonly params: readonly Floats[];
  /** Gradients of the mean batch loss, one per tensor of `params`; clipping scales them in place. */
  readonly grads: readonly Floats[];
  /** The optimizer's state: its step count `t` is incremented, its slots are updated in place. */
  readonly state: OptimizerState;
  /** Learning rate of this step, after schedules and warm-up (what the optimizer sees as `ctx.lr`). */
  readonly lr: number;
  /** Kernels that may run the optimizer's declared `kernel` natively (e.g. wasm Adam). */
  readonly backend?: Backend;
  /** The context object to hand the optimizer, reused: its lr and t are set at each call. */
  readonly context?: Mutable<UpdateContext>;
}

/**
 * {@linkcode applyOptimizer} without its return value: the global norm is only
 * measured when the optimizer clips (it costs a pass over every gradient).
 * `norm` passes one measured already.
 *
 * @example
 * ```ts ignore
 * updateParams(optimizer, { params, grads, state, lr: 0.01 });
 * ```
 */
export function updateParams(optimizer: OptimizerPlugin, step: OptimizerStep, norm?: number): void {
  const { params, grads, state, lr } = step;
  if (optimizer.clipNorm !== undefined) {
    const n = norm ?? globalNorm(grads);
    if (n > optimizer.clipNorm) {
      const scale = optimizer.clipNorm / n;
      for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= scale;
    }
  }
  state.t += 1;
  const backend = step.backend;
  if (backend?.adam && adamKernel(optimizer)) {
    // The same rule, bit for bit (the plugin's promise is checked once per object).
    const c = adamConstants(adamSettings(optimizer.params), lr, state.t);
    for (let i = 0; i < params.length; i++) {
      backend.adam(params[i], grads[i], state.slots[i][0], state.slots[i][1], c);
    }
    return;
  }
  const ctx = step.context ?? { lr, t: state.t };
  ctx.lr = lr, ctx.t = state.t;
  for (let i = 0; i < params.length; i++) {
    optimizer.update(params[i], grads[i], state.slots[i], ctx);
  }
}
