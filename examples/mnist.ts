/**
 * Handwritten digits, the way `deno task train` does it: a run config goes
 * through the job layer (registry, network, data, trainer), and the test set
 * is scored at the end. By default a short run: 2 epochs.
 *
 * With more than one core the job splits every batch across Workers, and
 * Deno loads a Worker's modules the way it loads a dynamic import, with the
 * program's read permission: hence `--allow-read`.
 *
 * Run: `deno run --allow-read examples/mnist.ts [epochs]`
 *
 * @module
 */
import { filter, lastValueFrom, tap } from "rxjs";
import type { Evaluation } from "../jobs/evaluate.ts";
import { parseRunConfig } from "../jobs/run_config.ts";
import { runJob } from "../jobs/run_job.ts";

/**
 * Trains the default network (784-128-64-10, ReLU, ReLU, softmax, Adam) on
 * the 8,004 training digits for a few epochs and scores the 1,996 test digits.
 *
 * @example
 * ```ts ignore
 * const test = await trainMnist({ epochs: 1 });
 * test.accuracy! > 0.85; // true
 * ```
 */
export async function trainMnist(
  options: { epochs?: number; log?: (line: string) => void } = {},
): Promise<Evaluation> {
  const { epochs = 2, log } = options;
  // The same JSON the CLI's --config and the server's POST /api/runs take;
  // everything left out comes from the MNIST defaults.
  const config = parseRunConfig({ dataset: "mnist", epochs });
  const job = await runJob(config, { batchEvents: false });
  log?.(`training on ${job.samples.train} digits, validating on ${job.samples.validation}`);

  await lastValueFrom(
    job.events$.pipe(
      filter((e) => e.type === "epoch"),
      tap((e) =>
        log?.(
          `epoch ${e.epoch}  loss ${e.loss.toFixed(4)}  val accuracy ${
            ((e.valAccuracy ?? 0) * 100).toFixed(2)
          }%`,
        )
      ),
    ),
  );
  return job.evaluateTest()!;
}

if (import.meta.main) {
  const test = await trainMnist({ epochs: Number(Deno.args[0] ?? 2), log: console.log });
  console.log(
    `test accuracy ${((test.accuracy ?? 0) * 100).toFixed(2)}% on ${test.samples} digits`,
  );
}
