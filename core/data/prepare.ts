import type { PrepareFn, PrepareState, PrepareStep, Widths } from "./prepare_step.ts";
import type { Batch } from "../math/types.ts";
import { type DataPlan, openPass } from "./data_plan.ts";

/** Runs a batch through the prepare steps (no allocation). */
export function applyChain(chain: readonly PrepareFn[], batch: Batch): Batch {
  let b = batch;
  for (let i = 0; i < chain.length; i++) b = chain[i].apply(b);
  return b;
}

/**
 * Makes the prepare steps ready: each step that learns (standardize) reads
 * one in-order pass of the training data through the steps before it, unless
 * its state comes from a checkpoint. Undefined when aborted.
 */
export async function prepareSteps(
  steps: readonly PrepareStep[],
  plan: DataPlan,
  batchSize: number,
  ctx: {
    signal: AbortSignal;
    pauser: { due(): Promise<void> | undefined };
    saved?: readonly (PrepareState | null)[];
  },
): Promise<{ chain: PrepareFn[]; states: (PrepareState | null)[]; widths: Widths } | undefined> {
  const chain: PrepareFn[] = [], states: (PrepareState | null)[] = [];
  let widths = plan.widths;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    let state = ctx.saved?.[i] ?? undefined;
    if (step.fit && state === undefined) {
      const fit = step.fit(widths);
      const pass = openPass(plan, batchSize, ctx.signal);
      try {
        while ((await pass.fill()) > 0 && !ctx.signal.aborted) {
          fit.add(applyChain(chain, plan.buffer));
          await ctx.pauser.due();
        }
      } finally {
        const closing = pass.close();
        if (closing) await closing;
      }
      if (ctx.signal.aborted) return undefined;
      state = fit.result();
    }
    const fn = step.create(widths, batchSize, state);
    chain.push(fn);
    states.push(state ?? null);
    widths = fn.widths;
  }
  return { chain, states, widths };
}
