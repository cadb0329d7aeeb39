/**
 * `deno task sweep --config sweep.json`: a hyperparameter search. Each trial
 * is an ordinary run, trained in a Worker and recorded in the state folder
 * (so `deno task serve` lists it); weak trials stop early at ASHA's rungs.
 * Prints a row per finished trial and a leaderboard (or JSON lines with
 * `--json`), and writes the best trial's model with `--out`. Exit codes: 0
 * done, 2 bad flags or sweep file, 1 an internal failure, 130/143 stopped
 * by Ctrl-C/SIGTERM (every running trial is stopped first); 1 also when
 * `--out` is given but no trial trained to the end.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { basename, dirname, resolve } from "node:path";
import * as v from "valibot";
import { writeFileAtomic } from "../io/write_atomic.ts";
import type { RunConfig } from "../jobs/run_config.ts";
import { resolveSweepConfig, type SweepConfig } from "../jobs/sweep_config.ts";
import { planSweep } from "../jobs/sweep_plan.ts";
import { resolveDataPath, withAdmittedFile } from "../server/data_path.ts";
import { openRunRecords } from "../server/run_records.ts";
import { createRunStore } from "../server/run_store.ts";
import { runSweep } from "../server/sweep_runner.ts";
import { configPluginIssues } from "../server/run_policy.ts";
import { createRegistry } from "../core/checks/registry.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { launchInWorker } from "../server/worker_launch.ts";
import { interruptedExitCode, onStopSignal, type StopSignal } from "./_signals.ts";
import { printError, UsageError } from "./print_error.ts";
import {
  formatHeader,
  formatLeaderboard,
  formatTrial,
  sweepJson,
  trialJson,
} from "./sweep_report.ts";

/** What `deno task sweep --help` prints. */
export const SWEEP_HELP = `Search hyperparameters: train a sweep's trials, stop weak ones early.

Usage: deno task sweep --config sweep.json [flags]

  --config <file>       the sweep file (W&B keys: method, metric, parameters,
                        early_terminate, run_cap, seed; run: the base run config)
  --concurrency <n>     trials training at once (default 2)
  --out <file>          write the best trial's model here
  --json                one JSON line per finished trial, then the sweep's
  --state-dir <dir>     where trials are recorded (default .nagare)
  --help                this text

Example: deno task sweep --config examples/sweep_iris.json --out best.json`;

/** Where the CLI writes; tests pass their own. */
export interface SweepIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: SweepIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

const FlagsSchema = v.object({
  config: v.string(),
  concurrency: v.optional(
    v.pipe(
      v.string(),
      v.transform(Number),
      v.integer("--concurrency: must be a whole number, e.g. 2"),
      v.minValue(1, "--concurrency: must be at least 1"),
      v.maxValue(64, "--concurrency: must be at most 64"),
    ),
    "2",
  ),
  out: v.optional(v.pipe(v.string(), v.nonEmpty("--out: must not be empty"))),
  json: v.boolean(),
  "state-dir": v.optional(v.string(), ".nagare"),
});

/** Parses the flags; a problem is a UsageError naming the flag. */
function parseFlags(argv: readonly string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: "string" },
        concurrency: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean", default: false },
        "state-dir": { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; see deno task sweep --help`);
  }
  if (values.help) return { help: true } as const;
  const { help: _, ...flags } = values;
  if (flags.config === undefined) {
    throw new UsageError("--config: is required: give the sweep file, e.g. --config sweep.json");
  }
  const parsed = v.safeParse(FlagsSchema, flags);
  if (!parsed.success) throw new UsageError(parsed.issues[0].message);
  return { help: false, ...parsed.output } as const;
}

/** Reads and checks the sweep file; every problem names the file and the field. */
async function readSweep(path: string): Promise<SweepConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "file not found" : (e as Error).message;
    throw new UsageError(`--config ${path}: ${why}; check the path`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
  const result = resolveSweepConfig(input);
  if (!result.ok) {
    const lines = result.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    throw new UsageError(`--config ${path}: ${lines.join("; ")}`);
  }
  return result.sweep;
}

/** A trial's data file, checked as the Workers open it: the file named, relative to here. */
async function admitFile(config: RunConfig): Promise<RunConfig> {
  const dataset = config.dataset;
  if (typeof dataset === "string") return config;
  const path = resolve("csv" in dataset ? dataset.csv : dataset.ndjson);
  try {
    return {
      ...config,
      dataset: withAdmittedFile(dataset, await resolveDataPath(dirname(path), basename(path))),
    };
  } catch (e) {
    throw new UsageError(`run.dataset: ${(e as Error).message}`);
  }
}

/** Refuses an `--out` that could not be written, before any trial is spent on it. */
function checkOut(out: string): void {
  const dir = dirname(resolve(out));
  if (!Deno.statSync(dir).isDirectory) {
    throw new UsageError(`--out ${out}: ${dir} is not a folder; pick another path`);
  }
}

/**
 * Runs the command line and returns the exit code.
 *
 * @example
 * ```ts ignore
 * const code = await main(["--config", "examples/sweep_iris.json", "--json"]);
 * ```
 */
export async function main(argv: readonly string[], io: SweepIo = consoleIo): Promise<number> {
  let flags, sweep: SweepConfig, trials;
  try {
    flags = parseFlags(argv);
    if (flags.help) return io.out(SWEEP_HELP), 0;
    sweep = await readSweep(flags.config);
    let planned;
    try {
      planned = planSweep(sweep);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      throw new UsageError(
        `--config ${flags.config}: ${e.message.replace(/^Invalid sweep file: /, "")}`,
      );
    }
    // Every trial's plugins are checked before any trial runs, as the server does.
    const registry = createRegistry(builtinPlugins());
    for (const trial of planned) {
      const issues = configPluginIssues(registry, trial.config);
      if (issues.length > 0) {
        const lines = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
        throw new UsageError(
          `--config ${flags.config}: trial ${trial.index + 1} (${
            JSON.stringify(trial.params)
          }): ${lines}`,
        );
      }
    }
    trials = await Promise.all(
      planned.map(async (t) => ({ ...t, config: await admitFile(t.config) })),
    );
    if (flags.out !== undefined) {
      try {
        checkOut(flags.out);
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`--out ${flags.out}: its folder does not exist; create it first`);
      }
    }
  } catch (e) {
    return printError(e, io.err);
  }
  const { json, out, concurrency } = flags;
  const records = openRunRecords(flags["state-dir"]);
  // No retention here: a sweep's early trials (the best among them) must stay until it ends;
  // `deno task serve` applies its --keep-runs to the folder later.
  const store = createRunStore({
    launch: launchInWorker(),
    maxRunning: concurrency,
    records,
    keepFinished: Number.MAX_SAFE_INTEGER,
  });
  let signal: StopSignal | undefined, stop = () => {};
  // Listening before any trial starts: a signal from then on stops the sweep cleanly.
  const off = onStopSignal((s) => {
    signal ??= s;
    stop();
  });
  try {
    if (!json) {
      io.err(`sweep: ${trials.length} trials, ${concurrency} at a time, by ${sweep.metric.name}`);
      io.out(formatHeader(sweep));
    }
    const sweepRun = runSweep(sweep, trials, {
      store,
      concurrency,
      onTrial: (trial) =>
        io.out(json ? JSON.stringify(trialJson(trial)) : formatTrial(sweep, trial)),
    });
    stop = () => void sweepRun.stop();
    if (signal) stop();
    const result = await sweepRun.done;
    const model = result.best?.id ? store.model(result.best.id) : undefined;
    const written = signal === undefined && out !== undefined && model ? out : undefined;
    if (written) await writeFileAtomic(written, JSON.stringify(model));
    if (json) io.out(JSON.stringify(sweepJson(result, written)));
    else {
      io.out("");
      for (const line of formatLeaderboard(sweep, result)) io.out(line);
      const stoppedEarly = result.trials.filter((t) => t.stoppedAt !== undefined).length;
      io.out(`stopped early: ${stoppedEarly} of ${result.trials.length}`);
      if (result.best) {
        const { index, id, metric } = result.best;
        io.out(`best: trial ${index + 1} (run ${id}), ${sweep.metric.name} ${metric!.toFixed(4)}`);
      } else io.out("best: none: no trial trained to the end");
      if (written) io.out(`saved ${written}`);
    }
    if (signal) {
      io.err(`interrupted: the sweep stopped${out ? `; ${out} not written` : ""}`);
      return interruptedExitCode(signal);
    }
    if (!result.best) {
      const why = result.trials.find((t) => t.error)?.error;
      io.err(`error: no trial trained to the end${why ? `: ${why}` : ""}`);
      return 1;
    }
    return 0;
  } catch (e) {
    return printError(e, io.err);
  } finally {
    off();
    await store.close();
    records.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args).catch((e) => printError(e)));
