import { createRegistry } from "../core/checks/registry.ts";
import type { Plugin } from "../core/math/types.ts";
import type { OpenFile } from "../jobs/file_data.ts";
import { DEFAULT_MAX_RUN_MIB } from "../jobs/memory_estimate.ts";
import { type ConfigIssue, resolveRunConfig, type RunConfig } from "../jobs/run_config.ts";
import { preflightRun } from "../jobs/run_preflight.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { FLAG_OF_FIELD, HELP } from "./_help.ts";
import { type ParsedFlags, parseFlags, parseLayers, type ServeFlags } from "./flags.ts";
import { UsageError } from "./print_error.ts";

export { HELP, type ParsedFlags, parseFlags, parseLayers, UsageError };

/** What the command line asks for, with the run config resolved. */
export interface CliOptions {
  /** The run config: defaults, then the `--config` file, then the flags. */
  config: RunConfig;
  /** Module paths given with `--plugin`, in order. */
  plugins: string[];
  /** One JSON event per line on stdout; everything else on stderr. */
  json: boolean;
  /** No progress bar and no per-epoch lines. */
  quiet: boolean;
  /** `--help` was given: print {@linkcode HELP} and do nothing else. */
  help: boolean;
  /** `--serve`: serve the dashboard for this run. */
  serve?: ServeFlags;
  /** How messages name the data file's path: `--data`, or `--config run.json: dataset`. */
  dataLabel: string;
  /** `--max-run-mib`: the most MiB the run may need (default `DEFAULT_MAX_RUN_MIB`). */
  maxRunMiB: number;
  /** Where the run is recorded (`--state-dir`, default `.nagare`). */
  stateDir: string;
  /** False with `--no-record`. */
  record: boolean;
  /** `--resume [RUN]`: continue that run (`true`: the newest interrupted one). */
  resume?: string | true;
  /** An issue as one line, naming the flag that set its field, else the config file. */
  describe(issue: ConfigIssue): string;
}

/** Reads a `--config` file as JSON. */
async function readConfig(
  path: string,
  readText: (p: string) => Promise<string>,
): Promise<unknown> {
  let text: string;
  try {
    text = await readText(path);
  } catch (e) {
    if (e instanceof Deno.errors.IsADirectory) {
      throw new UsageError(`--config ${path}: is a folder; give the path of a .json run config`);
    }
    const why = e instanceof Deno.errors.NotFound ? "file not found" : (e as Error).message;
    throw new UsageError(`--config ${path}: ${why}; check the path`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Names an issue by the flag that set the field, else by the config file. */
function describe(issue: ConfigIssue, flags: ParsedFlags): string {
  const field = issue.path.split(".")[0];
  if (field in flags.fields) {
    const flag = field !== "dataset" || typeof flags.fields.dataset !== "object"
      ? FLAG_OF_FIELD[field]
      : issue.path === "dataset.delimiter"
      ? "--delimiter"
      : issue.path === "dataset.target"
      ? "--target"
      : "--data";
    return `${flag}: ${issue.message}`;
  }
  if (!flags.configPath) return `${FLAG_OF_FIELD[field] ?? "config"}: ${issue.message}`;
  const where = `--config ${flags.configPath}`;
  return `${where}: ${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
}

/**
 * Parses the command line and resolves the run config: defaults, then the
 * `--config` file, then the flags (flags win). Throws a {@linkcode UsageError}
 * whose message names the flag or the file field and the fix.
 *
 * @example
 * ```ts ignore
 * const { config } = await parseCli(["--dataset", "xor", "--epochs", "50"]);
 * ```
 */
export async function parseCli(
  argv: readonly string[],
  readText: (path: string) => Promise<string> = Deno.readTextFile,
): Promise<CliOptions> {
  const flags = parseFlags(argv);
  const file = flags.configPath ? await readConfig(flags.configPath, readText) : {};
  const merged: Record<string, unknown> = typeof file === "object" && file && !Array.isArray(file)
    ? { ...file, ...flags.fields }
    : file as Record<string, unknown>;
  if (flags.target !== undefined) {
    const d = merged.dataset;
    if (typeof d !== "object" || d === null) {
      throw new UsageError("--target: only with --data file.csv or a csv dataset in --config");
    }
    merged.dataset = { ...d, target: flags.target };
  }
  const resolved = resolveRunConfig(merged);
  if (!resolved.ok) {
    // One problem per field: `--lr -Infinity` is "not finite", not also "not positive".
    const issues = resolved.issues.filter((i, k, all) =>
      all.findIndex((j) => j.path === i.path) === k
    );
    throw new UsageError(issues.map((i) => describe(i, flags)).join("; "));
  }
  const { plugins, json, quiet, help, serve } = flags;
  const dataLabel = "dataset" in flags.fields || !flags.configPath
    ? "--data"
    : `--config ${flags.configPath}: dataset`;
  return {
    config: resolved.config,
    plugins,
    json,
    quiet,
    help,
    ...(serve ? { serve } : {}),
    dataLabel,
    maxRunMiB: flags.maxRunMiB ?? DEFAULT_MAX_RUN_MIB,
    stateDir: flags.stateDir,
    record: flags.record,
    ...(flags.resume !== undefined ? { resume: flags.resume } : {}),
    describe: (issue) => describe(issue, flags),
  };
}

/**
 * A data file's size in bytes, or undefined when it cannot be known (the
 * file opener then says what is wrong with the path).
 *
 * @example
 * ```ts ignore
 * fileSizeOf("houses.csv"); // 52417
 * ```
 */
export function fileSizeOf(path: string): number | undefined {
  try {
    return Deno.statSync(path).size;
  } catch {
    return undefined;
  }
}

/**
 * Refuses, before any data is loaded, what the run's config and data files
 * show cannot train: a csv target or column the header lacks, an ndjson
 * sample that does not fit the last layer, a run needing more than
 * `--max-run-mib` (see `preflightRun`). Throws a {@linkcode UsageError}
 * naming each issue's flag.
 *
 * @example
 * ```ts ignore
 * const cli = await parseCli(["--dataset", "mnist", "--batch-size", "60000"]);
 * await checkBeforeData(cli, [], open); // throws: --batch-size: needs about 2,512 MiB ...
 * ```
 */
export async function checkBeforeData(
  cli: CliOptions,
  plugins: readonly Plugin[],
  open: OpenFile,
): Promise<void> {
  const issues = await preflightRun(cli.config, {
    registry: createRegistry([...builtinPlugins(), ...plugins]),
    open,
    fileSize: fileSizeOf,
    limit: { mib: cli.maxRunMiB, by: "cli" },
  });
  if (issues.length > 0) throw new UsageError(issues.map(cli.describe).join("; "));
}
