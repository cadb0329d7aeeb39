import { type ConfigIssue, resolveRunConfig, type RunConfig } from "../jobs/run_config.ts";
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
  };
}
