/**
 * `deno task edge:build --model model.json --target cloudflare|deno|vercel|supabase
 * [--out dist/<target>] [--plugin ./act.ts ...] [--name fn] [--max-rows 1000]`:
 * writes a deployable folder with the model bundled in, and prints its size
 * against the platform's limits.
 *
 * @module
 */
import { parseArgs } from "node:util";
import * as v from "valibot";
import { buildEdge, type EdgeBuildOptions } from "../edge/build/build_edge.ts";
import { TARGETS } from "../edge/build/targets.ts";

/** Usage text printed by `--help` and after a flag error. */
export const USAGE = `Usage: deno task edge:build --model model.json --target ${
  TARGETS.join("|")
} [options]

  --model PATH      model file written by \`deno task train\` (required)
  --target NAME     ${TARGETS.join(", ")} (required)
  --out DIR         output folder (default dist/<target>)
  --plugin PATH     module exporting custom activation plugins the model uses (repeatable)
  --name NAME       worker or function name: lowercase letters, digits, dashes (default: the model's name)
  --max-rows N      most rows per /predict request (default 1000)
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
  };
}

/**
 * Runs the command; returns the exit code (0 built, 1 failed or too large
 * everywhere, 2 bad flags).
 *
 * @example
 * ```ts ignore
 * Deno.exit(await main(["--model", "model.json", "--target", "cloudflare"]));
 * ```
 */
export async function main(args: readonly string[]): Promise<number> {
  let options: EdgeBuildOptions | null;
  try {
    options = parseEdgeBuildArgs(args);
  } catch (error) {
    console.error(`edge:build: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  try {
    const result = await buildEdge(options);
    console.log(result.report.join("\n"));
    if (!result.checks.some((c) => c.fits)) {
      console.error("edge:build: the bundle is over every plan's limit: use a smaller model");
      return 1;
    }
    return 0;
  } catch (error) {
    console.error(`edge:build: ${(error as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
