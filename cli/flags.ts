import { parseArgs } from "node:util";
import type { LayerSpec } from "../core/math/types.ts";
import { joinNegativeValues } from "./_negative_values.ts";
import { UsageError } from "./print_error.ts";

export { UsageError };

/** The flags, parsed but not yet merged: `fields` holds run-config fields set by flags. */
export interface ParsedFlags {
  fields: Record<string, unknown>;
  configPath?: string;
  target?: string;
  plugins: string[];
  json: boolean;
  quiet: boolean;
  help: boolean;
  /** `--serve`: also serve the dashboard for this run (with `--host`, `--port`, `--token`). */
  serve?: ServeFlags;
  /** `--max-run-mib`: the most MiB the run may need, as estimated before the data loads. */
  maxRunMiB?: number;
  /** `--state-dir`: where runs are recorded (default `.nagare`). */
  stateDir: string;
  /** False with `--no-record`: the run is not recorded and cannot be resumed. */
  record: boolean;
  /** `--resume [RUN]`: the run to continue, `true` for the newest interrupted one. */
  resume?: string | true;
}

/** Where `--serve` listens. */
export interface ServeFlags {
  host?: string;
  port?: number;
  token?: string;
}

const NUMBER_FLAGS = {
  lr: "lr",
  epochs: "epochs",
  "batch-size": "batchSize",
  "validation-split": "validationSplit",
  seed: "seed",
  l2: "l2",
  "warmup-steps": "warmupSteps",
  workers: "workers",
} as const;

const STRING_FLAGS = [
  "config",
  "data",
  "target",
  "categorical",
  "ignore",
  "missing",
  "delimiter",
  "dataset",
  "layers",
  "loss",
  "optimizer",
  "backend",
  "out",
  "host",
  "port",
  "token",
  "max-run-mib",
  "state-dir",
];

function toNumber(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === "" || Number.isNaN(n)) {
    throw new UsageError(`--${flag}: "${value}" is not a number; pass e.g. --${flag} 0.1`);
  }
  return n;
}

/**
 * Parses `--layers "128:relu,64:relu,10:softmax"` (units, then optional
 * activation and init, colon-separated) into layer specs.
 *
 * @example
 * ```ts
 * import { parseLayers } from "./flags.ts";
 * parseLayers("8:tanh,1:sigmoid"); // [{ units: 8, activation: "tanh" }, { units: 1, activation: "sigmoid" }]
 * ```
 */
export function parseLayers(text: string): LayerSpec[] {
  return text.split(",").map((part) => {
    const [units, activation, init, ...rest] = part.trim().split(":");
    if (units === "" || Number.isNaN(Number(units)) || rest.length > 0 || activation === "") {
      throw new UsageError(
        `--layers: "${part}" is not units[:activation[:init]]; write e.g. --layers 128:relu,64:relu,10:softmax`,
      );
    }
    return {
      units: Number(units),
      ...(activation ? { activation } : {}),
      ...(init ? { init: init as LayerSpec["init"] } : {}),
    };
  });
}

/**
 * Parses the command line (without merging any config file). Throws a
 * {@linkcode UsageError} naming the flag for unknown flags and bad values.
 *
 * @example
 * ```ts
 * import { parseFlags } from "./flags.ts";
 * parseFlags(["--dataset", "xor", "--epochs", "5"]).fields; // { dataset: "xor", epochs: 5 }
 * ```
 */
export function parseFlags(argv: readonly string[]): ParsedFlags {
  const { rest, resume } = takeResume(argv);
  let values;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(rest), // `--lr -1` is the value -1, checked like any other
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(STRING_FLAGS.map((f) => [f, { type: "string" as const }])),
        ...Object.fromEntries(
          Object.keys(NUMBER_FLAGS).map((f) => [f, { type: "string" as const }]),
        ),
        plugin: { type: "string", multiple: true },
        json: { type: "boolean" },
        "no-standardize": { type: "boolean" },
        serve: { type: "boolean" },
        "no-record": { type: "boolean" },
        quiet: { type: "boolean", short: "q" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    const why = (e as Error).message.replace(/\.?\n/g, "; ").replace(/\.$/, "");
    throw new UsageError(`${why}; see --help`);
  }
  const str = (k: string): string | undefined =>
    (values as Record<string, unknown>)[k] as string | undefined;
  const fields: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(NUMBER_FLAGS)) {
    const raw = str(flag);
    if (raw !== undefined) fields[field] = toNumber(flag, raw);
  }
  if (str("data") !== undefined && str("dataset") !== undefined) {
    throw new UsageError("--data and --dataset: give one of them, not both");
  }
  if (str("dataset") !== undefined) fields.dataset = str("dataset");
  const data = str("data"), target = str("target");
  if (data !== undefined) fields.dataset = fileDataset(data, target, str("delimiter"));
  else if (str("delimiter") !== undefined) {
    throw new UsageError("--delimiter: only with --data FILE.csv");
  }
  const columns = tableColumns(str("categorical"), str("ignore"));
  if (columns) fields.columns = columns;
  const missing = str("missing");
  if (missing !== undefined) {
    if (missing !== "impute" && missing !== "error") {
      throw new UsageError(`--missing: "${missing}" is not impute or error`);
    }
    fields.missing = missing;
  }
  if (values["no-standardize"] === true) fields.standardize = false;
  if (str("layers") !== undefined) fields.layers = parseLayers(str("layers")!);
  if (str("loss") !== undefined) fields.loss = str("loss");
  if (str("optimizer") !== undefined) fields.optimizer = str("optimizer");
  if (str("backend") !== undefined) fields.backend = str("backend");
  if (str("out") !== undefined) fields.out = str("out");
  const serve = serveFlags(values.serve === true, str);
  const maxRunMiB = str("max-run-mib");
  if (maxRunMiB !== undefined && !/^[1-9]\d{0,6}$/.test(maxRunMiB)) {
    throw new UsageError(
      `--max-run-mib: "${maxRunMiB}" is not a whole number of MiB from 1 to 9999999; pass e.g. --max-run-mib 4096`,
    );
  }
  if (resume !== undefined && values["no-record"] === true) {
    throw new UsageError("--resume and --no-record: a resumed run is recorded; drop --no-record");
  }
  if (resume !== undefined) {
    const changed = Object.keys(fields).concat(str("config") === undefined ? [] : ["config"]);
    if (changed.length > 0 || target !== undefined) {
      throw new UsageError(
        "--resume: the run goes on with its recorded settings; drop the flags that change them (" +
          (changed.length ? changed : ["target"]).join(", ") + ")",
      );
    }
  }
  const stateDir = str("state-dir") ?? ".nagare";
  if (stateDir === "") throw new UsageError("--state-dir: must not be empty; give a folder");
  return {
    fields,
    stateDir,
    record: values["no-record"] !== true,
    ...(resume !== undefined ? { resume } : {}),
    ...(serve ? { serve } : {}),
    ...(maxRunMiB !== undefined ? { maxRunMiB: Number(maxRunMiB) } : {}),
    ...(str("config") !== undefined ? { configPath: str("config") } : {}),
    ...(target !== undefined && data === undefined ? { target } : {}),
    plugins: (values.plugin as string[] | undefined) ?? [],
    json: values.json === true,
    quiet: values.quiet === true,
    help: values.help === true,
  };
}

function fileDataset(
  path: string,
  target: string | undefined,
  delimiter: string | undefined,
): Record<string, string> {
  if (/\.(csv|tsv)$/i.test(path)) {
    if (target === undefined) {
      throw new UsageError(`--target: required with --data ${path}; name the column to predict`);
    }
    const tab = /\.tsv$/i.test(path) && delimiter === undefined ? { delimiter: "\t" } : {};
    return {
      csv: path,
      target,
      ...tab,
      ...(delimiter === undefined ? {} : { delimiter: delimiter === "\\t" ? "\t" : delimiter }),
    };
  }
  if (delimiter !== undefined) throw new UsageError("--delimiter: only for a .csv file");
  if (/\.(nd)?jsonl?$/i.test(path)) return { ndjson: path, ...(target ? { target } : {}) };
  throw new UsageError(`--data: ${path} must end in .csv, .tsv or .ndjson`);
}

/** `--categorical a,b` and `--ignore c` as the run config's `columns`. */
function tableColumns(
  categorical: string | undefined,
  ignore: string | undefined,
): Record<string, string> | undefined {
  const columns: Record<string, string> = {};
  for (
    const [flag, list, type] of [["categorical", categorical, "category"], [
      "ignore",
      ignore,
      "ignore",
    ]]
  ) {
    if (list === undefined) continue;
    for (const name of list.split(",").map((n) => n.trim())) {
      if (name === "") {
        throw new UsageError(
          `--${flag}: "${list}" has an empty column name; write e.g. --${flag} city,zip`,
        );
      }
      if (columns[name] === type) {
        throw new UsageError(`--${flag}: column "${name}" is named twice`);
      }
      if (columns[name] !== undefined) {
        throw new UsageError(`--categorical and --ignore both name column "${name}": pick one`);
      }
      columns[name] = type!;
    }
  }
  return Object.keys(columns).length ? columns : undefined;
}

/** `--serve` with `--host`, `--port` and `--token`; those three need `--serve`. */
function serveFlags(on: boolean, str: (k: string) => string | undefined): ServeFlags | undefined {
  const given = ["host", "port", "token"].filter((k) => str(k) !== undefined);
  if (!on) {
    if (given.length) throw new UsageError(`--${given[0]}: only with --serve`);
    return undefined;
  }
  const port = str("port");
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) > 65535)) {
    throw new UsageError(`--port: "${port}" is not a port; pass a whole number from 0 to 65535`);
  }
  return {
    ...(str("host") !== undefined ? { host: str("host") } : {}),
    ...(port !== undefined ? { port: Number(port) } : {}),
    ...(str("token") !== undefined ? { token: str("token") } : {}),
  };
}

/** Takes `--resume`, `--resume RUN` or `--resume=RUN` out of the arguments (its value is optional). */
function takeResume(argv: readonly string[]): { rest: string[]; resume?: string | true } {
  const rest: string[] = [];
  let resume: string | true | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--resume" || arg.startsWith("--resume=")) {
      if (resume !== undefined) throw new UsageError("--resume: give it once");
      const inline = arg.startsWith("--resume=") ? arg.slice("--resume=".length) : undefined;
      const next = argv[i + 1];
      if (inline !== undefined) resume = inline;
      else if (next !== undefined && !next.startsWith("-")) resume = next, i++;
      else resume = true;
      if (resume === "") {
        throw new UsageError("--resume: give a run id, or no value for the newest");
      }
    } else rest.push(arg);
  }
  return { rest, ...(resume === undefined ? {} : { resume }) };
}
