/**
 * The vanishing gradient, in numbers: the same deep network (8 hidden layers
 * of 32) once with sigmoid hidden layers and once with ReLU, on the same
 * batch. Backpropagation multiplies by h'(z) at every layer; sigmoid's
 * derivative is at most 0.25, so the gradient reaching the first layers
 * shrinks by about that factor per layer, while ReLU's is 1 where active.
 *
 * Run: `deno run examples/vanishing_gradient.ts`
 *
 * @module
 */
import { createNetwork, createRegistry, createRng, createTrainStep } from "../mod.ts";
import { adam, builtinActivations, crossEntropy } from "../plugins/mod.ts";

/** Weight-gradient norm per layer (first layer first) and loss after training, for one activation. */
export interface Trace {
  readonly activation: string;
  /** ||dL/dW|| of each layer at the first step. */
  readonly gradNorms: number[];
  /** Training loss at the first and the last step. */
  readonly firstLoss: number;
  readonly lastLoss: number;
}

/**
 * Builds the deep network with `activation` in every hidden layer, measures
 * the per-layer gradient norms at the first step, then trains for `steps`.
 *
 * @example
 * ```ts
 * import { traceGradients } from "./vanishing_gradient.ts";
 * const sig = traceGradients("sigmoid", { steps: 1 });
 * sig.gradNorms[0] < sig.gradNorms[8] / 100; // true: the first layer barely learns
 * ```
 */
export function traceGradients(activation: string, options: { steps?: number } = {}): Trace {
  const steps = options.steps ?? 200, rows = 128, inputs = 16, classes = 4;

  // A toy task: 16 random inputs; the class is the largest of the first four.
  const rng = createRng(7);
  const x = new Float32Array(rows * inputs), t = new Float32Array(rows * classes);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < inputs; j++) x[i * inputs + j] = rng.normal();
    let best = 0;
    for (let j = 1; j < classes; j++) if (x[i * inputs + j] > x[i * inputs + best]) best = j;
    t[i * classes + best] = 1;
  }
  const batch = { x: { data: x, rows, cols: inputs }, t: { data: t, rows, cols: classes } };

  // The same shape and seed for both runs; only the hidden activation differs.
  const registry = createRegistry(builtinActivations());
  const hidden = Array.from({ length: 8 }, () => ({ units: 32, activation }));
  const network = createNetwork(
    { inputs, layers: [...hidden, { units: classes, activation: "softmax" }] },
    { registry, seed: 1 },
  );
  const step = createTrainStep(network, {
    loss: crossEntropy(),
    optimizer: adam({ lr: 1e-3 }),
    batchSize: rows,
  });

  const firstLoss = step.run(batch, { stats: true });
  const gradNorms = step.stats().map((s) => s.gradNorm);
  let lastLoss = firstLoss;
  for (let i = 1; i < steps; i++) lastLoss = step.run(batch);
  return { activation, gradNorms, firstLoss, lastLoss };
}

if (import.meta.main) {
  const [sig, relu] = [traceGradients("sigmoid"), traceGradients("relu")];
  console.log("layer   ||dL/dW|| sigmoid   ||dL/dW|| relu");
  sig.gradNorms.forEach((g, i) => {
    const name = i < sig.gradNorms.length - 1 ? `${i + 1}` : "out";
    console.log(
      `${name.padStart(5)}   ${g.toExponential(2).padStart(17)}   ${
        relu.gradNorms[i].toExponential(2).padStart(14)
      }`,
    );
  });
  const ratio = (tr: Trace) => (tr.gradNorms[0] / tr.gradNorms.at(-1)!).toExponential(1);
  console.log(`first/last layer gradient: sigmoid ${ratio(sig)}, relu ${ratio(relu)}`);
  for (const tr of [sig, relu]) {
    console.log(
      `${tr.activation}: loss ${tr.firstLoss.toFixed(3)} -> ${
        tr.lastLoss.toFixed(3)
      } after 200 steps`,
    );
  }
}
