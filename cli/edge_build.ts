/**
 * `deno task edge:build --model model.json --target cloudflare|deno|vercel|supabase
 * [--out dist/<target>] [--plugin ./act.ts ...] [--name fn] [--max-rows N]
 * [--cors-origin ORIGIN]`: writes a deployable folder with the model bundled
 * in, and prints its size against the platform's limits and the rows per
 * request that fit each plan's CPU time. Errors print `error: ...` (see
 * {@linkcode printError}): exit code 2 for bad flags or input (a missing
 * model file, a plugin whose math changed), 1 for an internal failure or a
 * bundle too large for every plan.
 *
 * @module
 */
import { parseArgs } from "node:util";
import * as v from "valibot";
import { buildEdge, type EdgeBuildOptions } from "../edge/build/build_edge.ts";
import { MAX_ROWS } from "../edge/build/cpu_budget.ts";
import { TARGETS } from "../edge/build/targets.ts";
import { isOrigin } from "../edge/origin.ts";
import { printError } from "./print_error.ts";

/** Usage text printed by `--help` and after a flag error. */
export const USAGE = `Usage: deno task edge:build --model model.json --target ${
  TARGETS.join("|")
} [options]

  --model PATH      model file written by \`deno task train\` (required)
  --target NAME     ${TARGETS.join(", ")} (required)
  --out DIR         output folder (default dist/<target>)
  --plugin PATH     module exporting custom activation plugins the model uses (repeatable)
  --name NAME       worker or function name: lowercase letters, digits, dashes (default: the model's name)
  --max-rows N      most rows per /predict request, at most ${MAX_ROWS.toLocaleString("en-US")}
                    (default: the largest round batch that fits the CPU time per request
                    of the target's strictest plan, measured on this machine; at most 1,000)
  --cors-origin O   let browsers on origin O (https://app.example.com, or * for any) call
                    the bundle: answer CORS preflights, add Access-Control-Allow-Origin
                    (default: no CORS headers)
  --help            show this text`;

const FIX = {
  model: "pass --model path/to/model.json",
  target: `pass one of ${TARGETS.join(", ")}`,
};

const FlagsSchema = v.strictObject({
  model: v.pipe(v.string(), v.nonEmpty(`--model: must not be empty: ${FIX.model}`)),
  target: v.picklist(TARGETS, (i) => `--target: ${i.received} is unknown: ${FIX.target}`),
  out: v.optional(
    v.pipe(v.string(), v.nonEmpty("--out: must not be empty: pass a folder such as dist/edge")),
  ),
  plugin: v.optional(
    v.array(v.pipe(v.string(), v.nonEmpty("--plugin: must not be empty: pass a path"))),
  ),
  name: v.optional(v.pipe(
    v.string(),
    v.regex(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      "--name: use 1-63 lowercase letters, digits and dashes, e.g. --name mnist",
    ),
  )),
  "max-rows": v.optional(v.pipe(
    v.string(),
    v.regex(
      /^[1-9][0-9]*$/,
      "--max-rows: must be a whole number of at least 1, e.g. --max-rows 500",
    ),
    v.transform(Number),
    v.maxValue(
      MAX_ROWS,
      (i) =>
        `--max-rows: ${i.input} is more than ${
          MAX_ROWS.toLocaleString("en-US")
        }, the most a bundle takes (such a request needs seconds of CPU and a body of tens of MB): split larger batches on the client`,
    ),
  )),
  "cors-origin": v.optional(v.pipe(
    v.string(),
    v.check(
      (origin) => origin === "*" || isOrigin(origin),
      (i) =>
        `--cors-origin: ${
          JSON.stringify(i.input)
        } is not an origin: pass scheme://host[:port] with no path or final slash, e.g. --cors-origin https://app.example.com, or --cors-origin '*' for any`,
    ),
  )),
  help: v.optional(v.boolean()),
}, (issue) => {
  const flag = issue.expected?.replaceAll('"', "") as keyof typeof FIX;
  return `--${flag}: missing: ${FIX[flag] ?? "see --help"}`;
});

/**
 * Parses and checks the flags; throws a TypeError naming the flag and the fix.
 * Returns null for `--help`.
 *
 * @example
 * ```ts
 * import { parseEdgeBuildArgs } from "./edge_build.ts";
 * parseEdgeBuildArgs(["--model", "m.json", "--target", "deno"])?.out; // "dist/deno"
 * ```
 */
export function parseEdgeBuildArgs(args: readonly string[]): EdgeBuildOptions | null {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...args],
      options: {
        model: { type: "string" },
        target: { type: "string" },
        out: { type: "string" },
        plugin: { type: "string", multiple: true },
        name: { type: "string" },
        "max-rows": { type: "string" },
        "cors-origin": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new TypeError(`${(error as Error).message.replaceAll("\n", " ")}; see --help`);
  }
  if (values.help) return null;
  const parsed = v.safeParse(FlagsSchema, values);
  if (!parsed.success) throw new TypeError(parsed.issues.map((i) => i.message).join("; "));
  const flags = parsed.output;
  return {
    model: flags.model,
    target: flags.target,
    out: flags.out ?? `dist/${flags.target}`,
    plugins: flags.plugin ?? [],
    ...(flags.name ? { name: flags.name } : {}),
    ...(flags["max-rows"] ? { maxRows: flags["max-rows"] } : {}),
    ...(flags["cors-origin"] ? { corsOrigin: flags["cors-origin"] } : {}),
  };
}

/** Where the command writes; tests pass their own. */
export interface EdgeBuildIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: EdgeBuildIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/**
 * Runs the command; returns the exit code: 0 built, 2 bad flags or input
 * (a missing model file, a plugin that is missing or whose math changed), 1
 * an internal failure or a bundle over every plan's size limit.
 *
 * @example
 * ```ts ignore
 * Deno.exit(await main(["--model", "model.json", "--target", "cloudflare"]));
 * ```
 */
export async function main(args: readonly string[], io: EdgeBuildIo = consoleIo): Promise<number> {
  try {
    const options = parseEdgeBuildArgs(args);
    if (!options) return io.out(USAGE), 0;
    const result = await buildEdge(options);
    io.out(result.report.join("\n"));
    if (!result.checks.some((c) => c.fits)) {
      io.err("error: the bundle is over every plan's size limit: use a smaller model");
      return 1;
    }
    return 0;
  } catch (error) {
    return printError(error, io.err);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
