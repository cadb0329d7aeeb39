/**
 * Regression: learn y = sin(x) on [-π, π] from 512 samples. Two tanh hidden
 * layers, an identity output (any real number), and the mean squared error.
 *
 * Run: `deno run examples/sine.ts`
 *
 * @module
 */
import { filter, lastValueFrom, tap } from "rxjs";
import { createNetwork, createRegistry, inMemory, predict, train } from "../mod.ts";
import { loadSine } from "../jobs/datasets/sine.ts";
import { adam, builtinPlugins, mse } from "../plugins/mod.ts";

/**
 * Trains a 1-32-32-1 network on sin(x) and returns the largest error on the
 * 128 test points and a few predictions.
 *
 * @example
 * ```ts ignore
 * const { maxError } = await fitSine({ epochs: 60 });
 * maxError < 0.05; // true
 * ```
 */
export async function fitSine(
  options: { epochs?: number; log?: (line: string) => void } = {},
): Promise<{ maxError: number; samples: [number, number][] }> {
  const { epochs = 60, log } = options;
  const { train: points, test } = loadSine({ seed: 42 });

  const registry = createRegistry(builtinPlugins());
  const network = createNetwork({
    inputs: 1,
    layers: [
      { units: 32, activation: "tanh" },
      { units: 32, activation: "tanh" },
      { units: 1, activation: "identity" }, // regression: no squashing at the output
    ],
  }, { registry, seed: 42 });

  // 10% of the points are held out; the epoch events carry both losses.
  await lastValueFrom(
    train({
      network,
      loss: mse,
      optimizer: adam({ lr: 0.01 }),
      data: inMemory(points),
      validationSplit: 0.1,
      epochs,
      batchSize: 32,
    }).pipe(
      filter((e) => e.type === "epoch"),
      tap((e) =>
        e.epoch % 10 === 0 &&
        log?.(
          `epoch ${e.epoch}  mse ${e.loss.toExponential(2)}  val ${e.valLoss?.toExponential(2)}`,
        )
      ),
    ),
  );

  const y = predict(network, { data: test!.x, rows: test!.rows, cols: 1 }).data;
  let maxError = 0;
  for (let i = 0; i < test!.rows; i++) maxError = Math.max(maxError, Math.abs(y[i] - test!.y[i]));
  const samples = [-3, -1.5, 0, 1.5, 3].map((x): [number, number] => [
    x,
    predict(network, { data: new Float32Array([x]), rows: 1, cols: 1 }).data[0],
  ]);
  return { maxError, samples };
}

if (import.meta.main) {
  const { maxError, samples } = await fitSine({ log: console.log });
  for (const [x, y] of samples) {
    console.log(`sin(${x}) = ${Math.sin(x).toFixed(3)}, network says ${y.toFixed(3)}`);
  }
  console.log(`largest error on 128 test points: ${maxError.toFixed(4)}`);
}
