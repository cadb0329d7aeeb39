import type { Network } from "./network.ts";
import type { Floats } from "./types.ts";

/** Norms of one layer after a step: these make vanishing and exploding gradients visible. */
export interface LayerStats {
  /** L2 norm of the weight gradient dL/dW. */
  gradNorm: number;
  /** L2 norm of the weights after the update. */
  weightNorm: number;
  /** ||ΔW|| / ||W||: how much one step moved the weights (around 1e-3 is healthy). */
  updateRatio: number;
}

function norm(a: Floats): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** Keeps a copy of the weights before an update, to measure the update after it. */
export function createStatsTracker(
  network: Network,
  grads: readonly Floats[],
  alloc: (n: number) => Floats,
): { before(): void; after(): void; read(): LayerStats[] } {
  const layers = network.layers;
  // Allocated up front so a backend that runs out of memory says so at setup, not an epoch later.
  const copies: Floats[] = layers.map((l) => alloc(l.weights.length));
  // Filled in place at every measured step; read() hands out copies.
  const stats: LayerStats[] = [];
  return {
    before() {
      for (let i = 0; i < layers.length; i++) {
        copies[i].set(layers[i].weights);
        stats[i] = { gradNorm: norm(grads[2 * i]), weightNorm: 0, updateRatio: 0 };
      }
    },
    after() {
      for (let i = 0; i < layers.length; i++) {
        const w = layers[i].weights, old = copies[i];
        let d = 0;
        for (let j = 0; j < w.length; j++) d += (w[j] - old[j]) ** 2;
        const weightNorm = norm(w);
        stats[i].weightNorm = weightNorm;
        stats[i].updateRatio = weightNorm > 0 ? Math.sqrt(d) / weightNorm : 0;
      }
    },
    read: () => stats.map((s) => ({ ...s })),
  };
}
