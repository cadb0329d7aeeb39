/**
 * `deno task train`: trains a network from flags and/or a run config, shows
 * progress, writes the model atomically and ends with the test accuracy.
 * With no flags it trains the default job (MNIST, 784-128-64-10, Adam).
 * Exit codes: 0 done, 1 training failed, 2 bad input, 130 interrupted.
 *
 * @module
 */
import process from "node:process";
import { saveModel } from "../io/model_io.ts";
import { loadPluginModules } from "../io/load_plugins.ts";
import { type Job, runJob } from "../jobs/run_job.ts";
import { HELP, parseCli, UsageError } from "./args.ts";
import { createProgress } from "./progress.ts";
import { createReporter, formatSummary } from "./report.ts";
import { watch } from "./_watch.ts";

/** Where the CLI writes; tests pass their own. */
export interface TrainIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: TrainIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Bad input (exit 2), as opposed to a bug: a usage error, or a wrong name, shape or path. */
function isInputError(e: unknown): e is Error {
  return e instanceof UsageError || e instanceof TypeError || e instanceof RangeError ||
    e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied;
}

function openFile(path: string): ReadableStream<Uint8Array> {
  try {
    return Deno.openSync(path).readable;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new Deno.errors.NotFound(`--data ${path}: file not found; check the path`);
  }
}

/**
 * Runs the command line and returns the exit code.
 *
 * @example
 * ```ts ignore
 * const code = await main(["--dataset", "xor", "--epochs", "200", "--json"]);
 * ```
 */
export async function main(argv: readonly string[], io: TrainIo = consoleIo): Promise<number> {
  const began = performance.now();
  let job: Job, json = false, progressOn = false, quiet = false;
  try {
    const cli = await parseCli(argv);
    if (cli.help) return io.out(HELP), 0;
    ({ json, quiet } = cli);
    const plugins = await loadPluginModules(cli.plugins);
    // A bar only where a person watches: on the terminal the output goes to.
    progressOn = !quiet && (json ? process.stderr.isTTY : process.stdout.isTTY) === true;
    job = await runJob(cli.config, { plugins, open: openFile, batchEvents: progressOn });
  } catch (e) {
    if (!isInputError(e)) throw e;
    io.err(`error: ${e.message}`);
    return 2;
  }
  const reporter = createReporter({ json, quiet, out: io.out, err: io.err });
  const progress = createProgress({
    stream: json ? process.stderr : process.stdout,
    disabled: !progressOn,
    epochs: job.config.epochs,
  });
  if (!quiet) {
    const loadMs = performance.now() - began;
    const { config, samples, backend } = job;
    reporter.info(formatSummary({ config, inputs: job.network.inputs, samples, loadMs, backend }));
  }
  const result = await watch(job.events$, { progress, reporter });
  if (result.status === "interrupted") {
    io.err(
      `interrupted in epoch ${result.epoch} of ${job.config.epochs}: ${job.config.out} not written`,
    );
    return 130;
  }
  if (result.status === "failed") {
    io.err(`error: ${result.error.message}`);
    return result.started || !isInputError(result.error) ? 1 : 2;
  }
  const test = job.evaluateTest();
  if (test) reporter.test(test);
  try {
    await saveModel(job.config.out, job.network, job.modelMeta(test));
  } catch (e) {
    io.err(`error: cannot write ${job.config.out}: ${(e as Error).message}; check --out`);
    return 1;
  }
  reporter.saved(job.config.out, performance.now() - began);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
