/**
 * Least squares by gradient descent, the way the theory introduces it: fit
 * y = a·x to noisy points with one linear neuron (identity activation), the
 * mean squared error, and plain stochastic gradient descent.
 *
 * Run: `deno run examples/least_squares.ts`
 *
 * @module
 */
import { createNetwork, createRegistry, createRng, createTrainStep } from "../mod.ts";
import { identity, mse, sgd } from "../plugins/mod.ts";

/** Options of {@linkcode fitLine}. */
export interface FitLineOptions {
  /** The true slope the data is drawn from (default 3). */
  slope?: number;
  /** Gradient steps (default 200). */
  steps?: number;
  /** Learning rate (default 0.1). */
  lr?: number;
  /** Prints progress when given. */
  log?: (line: string) => void;
}

/**
 * Fits ŷ = w·x + b to 100 points of y = slope·x + noise and returns the learned
 * slope `a` (= w), intercept `b`, and the exact least-squares slope for comparison.
 *
 * @example
 * ```ts
 * import { fitLine } from "./least_squares.ts";
 * const { a, exact } = fitLine({ steps: 300 });
 * Math.abs(a - exact) < 1e-3; // true
 * ```
 */
export function fitLine(options: FitLineOptions = {}): { a: number; b: number; exact: number } {
  const { slope = 3, steps = 200, lr = 0.1, log } = options;

  // 1. Data: x uniform in [-1, 1], y = slope·x plus Gaussian noise (σ = 0.1).
  const n = 100, rng = createRng(1);
  const x = new Float32Array(n), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.float() * 2 - 1;
    y[i] = slope * x[i] + 0.1 * rng.normal();
  }

  // 2. Model: a single neuron with the identity activation, ŷ = w·x + b,
  //    starting from w = b = 0.
  const registry = createRegistry([identity, mse, sgd()]);
  const network = createNetwork(
    { inputs: 1, layers: [{ units: 1, activation: "identity", init: "zeros" }] },
    { registry },
  );

  // 3. Loss and rule: L = mean (ŷ - y)², so ∂L/∂w = 2/n Σ (ŷ - y)·x, and SGD
  //    steps against it: w ← w - lr·∂L/∂w (the same for b, without the x).
  //    One batch of all n points makes this plain (full-batch) gradient descent.
  const step = createTrainStep(network, { loss: mse, optimizer: sgd({ lr }), batchSize: n });
  const batch = { x: { data: x, rows: n, cols: 1 }, t: { data: y, rows: n, cols: 1 } };
  const layer = network.layers[0];
  for (let t = 1; t <= steps; t++) {
    const loss = step.run(batch);
    if (log && (t === 1 || t % 50 === 0)) {
      log(
        `step ${String(t).padStart(3)}  loss ${loss.toFixed(5)}  a = ${
          layer.weights[0].toFixed(4)
        }`,
      );
    }
  }

  // 4. Check against the closed form: with an intercept, a = cov(x, y) / var(x).
  const mx = x.reduce((s, v) => s + v, 0) / n, my = y.reduce((s, v) => s + v, 0) / n;
  let cov = 0, vx = 0;
  for (let i = 0; i < n; i++) cov += (x[i] - mx) * (y[i] - my), vx += (x[i] - mx) ** 2;
  return { a: layer.weights[0], b: layer.bias[0], exact: cov / vx };
}

if (import.meta.main) {
  const { a, b, exact } = fitLine({ log: console.log });
  console.log(
    `learned a = ${a.toFixed(4)}, b = ${b.toFixed(4)}; least squares gives a = ${exact.toFixed(4)}`,
  );
}
