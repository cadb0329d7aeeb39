/**
 * Concept drift: a stream of 2-D points whose class rule changes half-way.
 * The online learner scores every batch before it trains on it
 * (prequential evaluation), so its window accuracy shows the model learning
 * the first rule, failing when the rule flips, and learning the new one.
 *
 * Run: `deno run examples/concept_drift.ts`
 *
 * @module
 */
import { filter, from, lastValueFrom, toArray } from "rxjs";
import {
  createNetwork,
  createRegistry,
  createRng,
  onlineLearner,
  type WindowEvent,
} from "../mod.ts";
import { adam, builtinPlugins, crossEntropy } from "../plugins/mod.ts";

/** The stream and the learner. */
export interface DriftOptions {
  /** Samples in the stream (default 40,000). */
  samples?: number;
  /** Sample at which the rule flips (default 20,000). */
  flipAt?: number;
  /** Samples per prequential window (default 2,000). */
  window?: number;
  /** Samples per step (default 32). */
  batchSize?: number;
  /** Seed of the stream and of the weights (default 42). */
  seed?: number;
}

/**
 * A seeded stream of points in [-1, 1]², one-hot labelled by a gently curved
 * boundary: class 1 above the curve y = 0.3·sin(2x) until sample `flipAt`,
 * class 1 below it from then on (the rule flips: every label changes).
 *
 * @example
 * ```ts ignore
 * const first = driftingStream(10, 5, 1).next().value; // { x: [0.42, -0.13], y: [1, 0] }
 * ```
 */
export function* driftingStream(
  samples: number,
  flipAt: number,
  seed: number,
): Generator<{ x: number[]; y: number[] }> {
  const rng = createRng(seed);
  for (let i = 0; i < samples; i++) {
    const a = 2 * rng.float() - 1, b = 2 * rng.float() - 1;
    const above = b > 0.3 * Math.sin(2 * a);
    const positive = i < flipAt ? above : !above;
    yield { x: [a, b], y: positive ? [0, 1] : [1, 0] };
  }
}

/**
 * Trains a 2-16-2 tanh/softmax network (Adam 0.01) on the drifting stream
 * and gives its window events.
 *
 * @example
 * ```ts ignore
 * const windows = await learnDrift();
 * windows.map((w) => w.accuracy); // high, then a drop at the flip, then high again
 * ```
 */
export async function learnDrift(options: DriftOptions = {}): Promise<WindowEvent[]> {
  const { samples = 40_000, flipAt = 20_000, window = 2_000, batchSize = 32, seed = 42 } = options;
  const network = createNetwork(
    { inputs: 2, layers: [{ units: 16, activation: "tanh" }, { units: 2, activation: "softmax" }] },
    { registry: createRegistry(builtinPlugins()), seed },
  );
  const learner = onlineLearner({
    network,
    loss: crossEntropy(),
    optimizer: adam({ lr: 0.01 }),
    batchSize,
    window,
  });
  return await lastValueFrom(
    from(driftingStream(samples, flipAt, seed)).pipe(
      learner.trainOn(),
      filter((event): event is WindowEvent => event.type === "window"),
      toArray(),
    ),
  );
}

/** One line of the chart: samples seen, a bar of the accuracy, its value. */
export function chartLine(event: WindowEvent, flipAt: number): string {
  const accuracy = event.accuracy ?? 0, width = 40;
  const bar = "█".repeat(Math.round(accuracy * width)).padEnd(width, "·");
  const mark = event.samples - event.size <= flipAt && flipAt < event.samples ? "  <- flip" : "";
  return `${String(event.samples).padStart(6)}  ${bar}  ${accuracy.toFixed(3)}${mark}`;
}

if (import.meta.main) {
  const flipAt = 20_000;
  console.log("samples  prequential accuracy per window of 2,000");
  for (const event of await learnDrift({ flipAt })) console.log(chartLine(event, flipAt));
}
