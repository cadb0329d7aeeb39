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
  let copies: Floats[] | undefined;
  let stats: LayerStats[] = [];
  return {
    before() {
      copies ??= layers.map((l) => alloc(l.weights.length));
      layers.forEach((l, i) => copies![i].set(l.weights));
      stats = layers.map((_, i) => ({
        gradNorm: norm(grads[2 * i]),
        weightNorm: 0,
        updateRatio: 0,
      }));
    },
    after() {
      layers.forEach((l, i) => {
        const w = l.weights, old = copies![i];
        let d = 0;
        for (let j = 0; j < w.length; j++) d += (w[j] - old[j]) ** 2;
        const weightNorm = norm(w);
        stats[i].weightNorm = weightNorm;
        stats[i].updateRatio = weightNorm > 0 ? Math.sqrt(d) / weightNorm : 0;
      });
    },
    read: () => stats.map((s) => ({ ...s })),
  };
}
