/**
 * `deno task train`: trains a network from flags and/or a run config, shows
 * progress, writes the model atomically and ends with the test accuracy.
 * With no flags it trains the default job (MNIST, 784-128-64-10, Adam).
 * Exit codes: 0 done, 2 bad flags, config or data (see {@linkcode printError}), 1 an
 * internal failure, 130 interrupted by Ctrl-C (SIGINT), 143 by SIGTERM (both write
 * nothing: the run can go on with --resume). Stopped from the --serve dashboard, a run
 * keeps the weights it reached: the model is written and the exit code is 0.
 *
 * @module
 */
import process from "node:process";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { saveModel } from "../io/model_io.ts";
import { loadPluginModules } from "../io/load_plugins.ts";
import { type Job, runJob } from "../jobs/run_job.ts";
import { fileStream } from "../jobs/file_data.ts";
import { checkBeforeData, fileSizeOf, HELP, parseCli } from "./args.ts";
import { printError, UsageError } from "./print_error.ts";
import type { Progress } from "./progress.ts";
import { createReporter, formatSummary, formatTable } from "./report.ts";
import { watch } from "./_watch.ts";
import { type Recording, recordRun, resumeRun } from "./_record.ts";
import { jobResult } from "../server/launch_job.ts";
import { interruptedExitCode, nextStopSignal } from "./_signals.ts";
import type { LiveTraining } from "../server/serve_training.ts";
import type { ServeFlags } from "./flags.ts";
import type { Plugin } from "../core/math/types.ts";

/** Where the CLI writes; tests pass their own. */
export interface TrainIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: TrainIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Opens the data file; `label` names where its path came from (`--data`, or the config file). */
function fileOpener(label: string): (path: string) => ReadableStream<Uint8Array> {
  return (path) => {
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      throw new UsageError(`${label} ${path}: file not found; check the path`);
    }
    if (file.statSync().isDirectory) {
      file.close();
      throw new UsageError(
        `${label} ${path}: is a folder; give the path of a .csv or .ndjson file`,
      );
    }
    // Nothing else runs while the file is read (a --serve dashboard waits a read, microseconds):
    // synchronous reads skip a thread hop each (see fileStream).
    return fileStream(file, undefined, { sync: true });
  };
}

/** Refuses an `--out` that could not be written, before any training is spent on it. */
function checkOut(out: string): void {
  const dir = dirname(resolve(out));
  const stat = (p: string) => {
    try {
      return Deno.statSync(p);
    } catch {
      return undefined;
    }
  };
  if (!stat(dir)?.isDirectory) {
    throw new UsageError(
      `--out ${out}: the folder ${dir} does not exist; create it or pick another path`,
    );
  }
  if (stat(out)?.isDirectory) {
    throw new UsageError(`--out ${out}: is a folder; give a file path such as ${out}/model.json`);
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
  let plugins: Plugin[] = [], serve: ServeFlags | undefined;
  let recording: Recording | undefined, pluginModules: string[] = [];
  try {
    const cli = await parseCli(argv);
    if (cli.help) return io.out(HELP), 0;
    if (cli.resume !== undefined) {
      const id = cli.resume === true ? undefined : cli.resume;
      recording = await resumeRun(cli.stateDir, id, io.err);
      cli.config = recording.run.config;
    }
    ({ json, quiet, serve } = cli);
    checkOut(cli.config.out);
    plugins = await loadPluginModules(cli.plugins);
    pluginModules = cli.plugins.map((p) => pathToFileURL(resolve(p)).href);
    const open = fileOpener(cli.dataLabel);
    await checkBeforeData(cli, plugins, open); // data headers and --max-run-mib, before loading
    // A bar only where a person watches: on the terminal the output goes to.
    progressOn = !quiet && (json ? process.stderr.isTTY : process.stdout.isTTY) === true;
    job = await runJob(cli.config, {
      plugins,
      pluginModules,
      open,
      fileSize: fileSizeOf,
      batchEvents: progressOn,
      // --serve's dashboard shares this thread: a turn every 25 ms of work rather than 100.
      ...(cli.serve ? { yieldEveryMs: 25 } : {}),
      ...(cli.record
        ? { checkpoint: { every: 1, save: (c) => recording!.gate.checkpoint.save(c) } }
        : {}),
      ...(recording?.resume ? { resume: recording.resume } : {}),
    });
    if (cli.record) recording ??= recordRun(cli.stateDir, cli.config);
  } catch (e) {
    recording?.close();
    return printError(e, io.err);
  }
  try {
    return await trainAndSave(job, {
      io,
      json,
      quiet,
      progressOn,
      serve,
      plugins,
      pluginModules,
      recording,
      began,
    });
  } finally {
    recording?.close();
  }
}

/** Trains, reports and writes the model: the part of {@linkcode main} after the job is built. */
async function trainAndSave(job: Job, options: {
  io: TrainIo;
  json: boolean;
  quiet: boolean;
  progressOn: boolean;
  serve?: ServeFlags;
  plugins: Plugin[];
  pluginModules: string[];
  recording?: Recording;
  began: number;
}): Promise<number> {
  const { io, json, quiet, progressOn, serve, plugins, pluginModules, recording, began } = options;
  const reporter = createReporter({ json, quiet, out: io.out, err: io.err });
  // Loaded only for a bar that is drawn: cli-progress takes about 25 ms to load.
  const progress: Progress = progressOn
    ? (await import("./progress.ts")).createProgress({
      stream: json ? process.stderr : process.stdout,
      epochs: job.config.epochs,
    })
    : { batch() {}, clear() {} };
  if (job.table) {
    const { report, rows, table } = job.table;
    reporter.table({
      rows,
      columns: report.columns,
      missing: report.missing,
      ...(table.target.type === "classes" ? { classes: table.target.classes } : {}),
      ...(job.chosen ? { chosen: job.chosen } : {}),
    });
  }
  if (!quiet) {
    const loadMs = performance.now() - began;
    const { config, samples, backend, workers } = job;
    const inputs = job.network.inputs;
    reporter.info(formatSummary({ config, inputs, samples, loadMs, backend, workers }));
    if (job.table) {
      for (const line of formatTable({ ...job, table: job.table })) reporter.info(line);
    }
  }
  // Evaluated once, when the run has ended, for the dashboard and the report alike.
  let test: ReturnType<Job["evaluateTest"]> | undefined, evaluated = false;
  const testOnce = () => {
    if (!evaluated) test = job.evaluateTest(), evaluated = true; // a failed evaluation is tried again
    return test;
  };
  let live: LiveTraining | undefined;
  if (serve) {
    try {
      // Loaded only for --serve: the server and its store take a tenth of a second to load.
      const { startDashboard } = await import("./_dashboard.ts");
      live = await startDashboard(job, serve, {
        plugins,
        pluginModules,
        io,
        test: testOnce,
        recording,
      });
    } catch (e) {
      return printError(e, io.err, { context: "--serve" });
    }
  }
  const training = { events$: job.events$, result: () => jobResult(job, testOnce()) };
  const events$ = live
    ? (recording ? recording.resumableOnCancel(live.events$) : live.events$)
    : (recording ? recording.track(training) : job.events$);
  const result = await watch(events$, { progress, reporter });
  // The dashboard's Stop ends the run early, as on the server: it keeps the weights it reached.
  const stopped = live?.run.status === "stopped" && result.status === "completed";
  if (live && (result.status !== "completed" || stopped)) await live.close();
  if (stopped) {
    try {
      await saveModel(job.config.out, job.modelNetwork(), job.modelMeta());
    } catch (e) {
      return printError(e, io.err, { context: `cannot write ${job.config.out}` });
    }
    io.err(
      `stopped from the dashboard in epoch ${result.epoch} of ${job.config.epochs}: wrote ${job.config.out} with the weights it reached (no test scores)`,
    );
    return 0;
  }
  if (result.status === "interrupted") {
    const by = result.signal === "SIGTERM" ? " by SIGTERM" : "";
    io.err(
      `interrupted${by} in epoch ${result.epoch} of ${job.config.epochs}: ${job.config.out} not written` +
        (recording ? `; continue it with deno task train --resume ${recording.run.id}` : ""),
    );
    return interruptedExitCode(result.signal);
  }
  // Bad data (a non-numeric cell, an unknown class label) and divergence (lower --lr) are
  // bad input even when found mid-run: exit 2; anything else is a bug: exit 1.
  if (result.status === "failed") return printError(result.error, io.err);
  const scores = testOnce();
  if (scores) reporter.test(scores);
  try {
    await saveModel(job.config.out, job.modelNetwork(), job.modelMeta(scores));
  } catch (e) {
    return printError(e, io.err, { context: `cannot write ${job.config.out}` });
  }
  reporter.saved(job.config.out, performance.now() - began);
  if (live) {
    io.err(`training done; the dashboard stays at ${live.server.url} until Ctrl-C`);
    await nextStopSignal(); // Ctrl-C or SIGTERM: a clean stop, exit 0
    await live.close();
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args).catch((e) => printError(e)));
