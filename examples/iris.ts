/**
 * Classification with three classes: Fisher's iris flowers (4 measurements,
 * 3 species). A softmax output gives one probability per class and the
 * cross-entropy loss scores them; accuracy counts the arg-max.
 *
 * Run: `deno run examples/iris.ts`
 *
 * @module
 */
import { filter, lastValueFrom, tap } from "rxjs";
import { argmaxRow, createNetwork, createRegistry, inMemory, predict, train } from "../mod.ts";
import { IRIS_LABELS, loadIris } from "../jobs/datasets/iris.ts";
import { adam, builtinPlugins, crossEntropy } from "../plugins/mod.ts";

/**
 * Trains a 4-16-3 network on 120 flowers and returns its accuracy on the 30
 * held-out ones, with the predicted species of the first few.
 *
 * @example
 * ```ts ignore
 * const { accuracy } = await classifyIris({ epochs: 40 });
 * accuracy > 0.9; // true
 * ```
 */
export async function classifyIris(
  options: { epochs?: number; log?: (line: string) => void } = {},
): Promise<{ accuracy: number; predictions: string[] }> {
  const { epochs = 40, log } = options;
  // Features come standardized (mean 0, deviation 1 over the training rows);
  // targets are one-hot rows: setosa = [1, 0, 0].
  const { train: flowers, test } = await loadIris(42);

  const registry = createRegistry(builtinPlugins());
  const network = createNetwork({
    inputs: 4,
    layers: [{ units: 16, activation: "relu" }, { units: 3, activation: "softmax" }],
  }, { registry, seed: 42 });

  await lastValueFrom(
    train({
      network,
      loss: crossEntropy(),
      optimizer: adam({ lr: 0.01 }),
      data: inMemory(flowers),
      epochs,
      batchSize: 16,
    }).pipe(
      filter((e) => e.type === "epoch"),
      tap((e) =>
        e.epoch % 10 === 0 &&
        log?.(
          `epoch ${e.epoch}  loss ${e.loss.toFixed(4)}  accuracy ${
            ((e.accuracy ?? 0) * 100).toFixed(1)
          }%`,
        )
      ),
    ),
  );

  // Score the held-out flowers: the predicted class is the largest probability.
  const t = test!;
  const y = predict(network, { data: t.x, rows: t.rows, cols: 4 });
  const truth = { data: t.y, rows: t.rows, cols: 3 };
  let right = 0;
  const predictions: string[] = [];
  for (let i = 0; i < t.rows; i++) {
    const guess = argmaxRow(y, i);
    if (guess === argmaxRow(truth, i)) right++;
    predictions.push(IRIS_LABELS[guess]);
  }
  return { accuracy: right / t.rows, predictions };
}

if (import.meta.main) {
  const { accuracy, predictions } = await classifyIris({ log: console.log });
  // The test rows come ten per species: show one of each.
  for (const i of [0, 10, 20]) console.log(`test flower ${i + 1}: ${predictions[i]}`);
  console.log(`test accuracy: ${(accuracy * 100).toFixed(1)}% of 30 flowers`);
}
