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

/** Measures one update: `before()` it (or `snapshot()` before and `gradNorms()` any time the gradient is there), `after()` it. */
export interface StatsTracker {
  /** Copies the weights and measures the gradient: call before the update. */
  before(): void;
  /** Only copies the weights (the gradient is measured later with `gradNorms`). */
  snapshot(): void;
  /** Measures the gradient, wherever it is in the update as long as it is complete. */
  gradNorms(): void;
  /** Measures the weights and the update against the copy: call after the update. */
  after(): void;
  /** The last measurement, first layer first. */
  read(): LayerStats[];
}

/** Keeps a copy of the weights before an update, to measure the update after it. */
export function createStatsTracker(
  network: Network,
  grads: readonly Floats[],
  alloc: (n: number) => Floats,
): StatsTracker {
  const layers = network.layers;
  // Allocated up front so a backend that runs out of memory says so at setup, not an epoch later.
  const copies: Floats[] = layers.map((l) => alloc(l.weights.length));
  // gradNorm, weightNorm, updateRatio per layer, filled in place at every measured step.
  const norms = new Float64Array(3 * layers.length);
  const snapshot = (): void => {
    for (let i = 0; i < layers.length; i++) copies[i].set(layers[i].weights);
  };
  const gradNorms = (): void => {
    for (let i = 0; i < layers.length; i++) {
      const g = grads[2 * i];
      let s = 0;
      for (let j = 0; j < g.length; j++) s += g[j] * g[j];
      norms[3 * i] = Math.sqrt(s);
    }
  };
  return {
    before() {
      snapshot();
      gradNorms();
    },
    snapshot,
    gradNorms,
    after() {
      for (let i = 0; i < layers.length; i++) {
        const w = layers[i].weights, old = copies[i];
        let d = 0, s = 0;
        for (let j = 0; j < w.length; j++) {
          const v = w[j], u = v - old[j];
          d += u * u;
          s += v * v;
        }
        const weightNorm = Math.sqrt(s);
        norms[3 * i + 1] = weightNorm;
        norms[3 * i + 2] = weightNorm > 0 ? Math.sqrt(d) / weightNorm : 0;
      }
    },
    read() {
      const out: LayerStats[] = [];
      for (let i = 0; i < layers.length; i++) {
        out.push({
          gradNorm: norms[3 * i],
          weightNorm: norms[3 * i + 1],
          updateRatio: norms[3 * i + 2],
        });
      }
      return out;
    },
  };
}
