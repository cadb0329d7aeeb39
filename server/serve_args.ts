/**
 * The command line of `deno task serve`, parsed with node:util and checked
 * with valibot.
 *
 * @module
 */
import { parseArgs } from "node:util";
import * as v from "valibot";
import { isOrigin } from "../edge/origin.ts";
import { DEFAULT_MAX_RUN_MIB } from "../jobs/memory_estimate.ts";

/**
 * Help text of `deno task serve`.
 *
 * @example
 * ```ts
 * import { SERVE_HELP } from "./serve_args.ts";
 * SERVE_HELP.includes("--token"); // true
 * ```
 */
export const SERVE_HELP = `Serve the nagare dashboard and training API.

Usage: deno task serve [options]

  --host ADDR         address to bind (default 127.0.0.1); any other address needs a token
  --port N            port (default 8000; 0 picks a free one)
  --token SECRET      require it on every request (or set NAGARE_TOKEN): the API as
                      "Authorization: Bearer SECRET", the dashboard from the printed URL
  --data-dir DIR      folder runs may read csv/ndjson data sets from (default: built-in data sets only)
  --max-runs N        runs that train at once (default 2); more wait in a queue
  --max-run-mib N     refuse (400) a run estimated to need more than N MiB of memory (default 2048:
                      the default job needs about 40, and two runs at the limit stay within 4 GiB)
  --state-dir DIR     where runs, their events, checkpoints and models are kept (default .nagare)
  --in-memory         keep runs in memory only: they are lost when the server stops
  --keep-runs N       finished runs kept, the oldest removed first (default 100)
  --keep-days N       remove finished runs older than N days (default: kept by count only)
  --redis URL         keep runs in Redis and train them from its queue, with every node given
                      the same URL (or set NAGARE_REDIS_URL); --state-dir is then unused
  --no-train          with --redis: serve only; workers (deno task worker) train
  --cors-origin URL   allow this origin to call the API from a browser (repeatable; default: CORS off)
  --plugin FILE       load plugins from this module at startup (repeatable)
  -h, --help          show this help`;

/** What the command line asks for. */
export interface ServeArgs {
  host: string;
  port: number;
  token?: string;
  dataDir?: string;
  maxRuns: number;
  /** Most MiB one run may need (`--max-run-mib`, default 2048). */
  maxRunMiB: number;
  /** Folder of the state database; undefined with --in-memory. */
  stateDir?: string;
  keepRuns: number;
  keepDays?: number;
  /** `--redis URL` (or NAGARE_REDIS_URL). */
  redis?: string;
  /** False with `--no-train`. */
  train: boolean;
  corsOrigins: string[];
  plugins: string[];
  help: boolean;
}

const whole = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, `must be a whole number from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `must be a whole number from ${min} to ${max}`),
    v.maxValue(max, `must be a whole number from ${min} to ${max}`),
  );

const ArgsSchema = v.object({
  host: v.pipe(v.string(), v.nonEmpty("must not be empty")),
  port: whole(0, 65535),
  token: v.optional(
    v.pipe(v.string(), v.minLength(8, "must be at least 8 characters: use a long random string")),
  ),
  "data-dir": v.optional(v.pipe(v.string(), v.nonEmpty("must not be empty"))),
  "max-runs": whole(1, 64),
  "max-run-mib": whole(16, 1_048_576),
  "state-dir": v.pipe(
    v.string(),
    v.nonEmpty("must not be empty: give a folder, or pass --in-memory"),
  ),
  "in-memory": v.boolean(),
  redis: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^rediss?:\/\/\S+$/, "must be a Redis URL such as redis://127.0.0.1:6379"),
    ),
  ),
  "no-train": v.boolean(),
  "keep-runs": whole(1, 1_000_000),
  "keep-days": v.optional(whole(1, 36_500)),
  "cors-origin": v.array(
    v.pipe(
      v.string(),
      v.check(
        isOrigin,
        "must be an origin like https://lab.example.com (no path, no trailing slash)",
      ),
    ),
  ),
  plugin: v.array(v.pipe(v.string(), v.nonEmpty("must not be empty"))),
  help: v.boolean(),
});

/**
 * Parses the arguments; the token may also come from `NAGARE_TOKEN`.
 * Throws a TypeError naming the flag and the fix.
 *
 * @example
 * ```ts
 * import { parseServeArgs } from "./serve_args.ts";
 * parseServeArgs(["--port", "9000"], {}).port; // 9000
 * ```
 */
export function parseServeArgs(args: string[], env: Record<string, string | undefined>): ServeArgs {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "8000" },
        token: { type: "string" },
        "data-dir": { type: "string" },
        "max-runs": { type: "string", default: "2" },
        "max-run-mib": { type: "string", default: String(DEFAULT_MAX_RUN_MIB) },
        "state-dir": { type: "string", default: ".nagare" },
        "in-memory": { type: "boolean", default: false },
        redis: { type: "string" },
        "no-train": { type: "boolean", default: false },
        "keep-runs": { type: "string", default: "100" },
        "keep-days": { type: "string" },
        "cors-origin": { type: "string", multiple: true, default: [] },
        plugin: { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new TypeError(`${(error as Error).message}; see deno task serve --help`);
  }
  values.token ??= env.NAGARE_TOKEN || undefined;
  values.redis ??= env.NAGARE_REDIS_URL || undefined;
  const parsed = v.safeParse(ArgsSchema, values);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = v.getDotPath(issue) ?? "";
    const flag = path.split(".")[0];
    const given = JSON.stringify(issue.input);
    const where = flag === "token" && !args.includes("--token") ? "NAGARE_TOKEN" : `--${flag}`;
    throw new TypeError(
      `${where}: ${issue.message}, got ${flag === "token" ? "a shorter one" : given}`,
    );
  }
  const o = parsed.output;
  if (
    o["in-memory"] && args.some((arg) => arg === "--state-dir" || arg.startsWith("--state-dir="))
  ) {
    throw new TypeError("--in-memory and --state-dir: give one of them, not both");
  }
  if (o["no-train"] && o.redis === undefined) {
    throw new TypeError(
      "--no-train: only with --redis, where workers train; without it this server is the only one that trains",
    );
  }
  return {
    host: o.host,
    port: o.port,
    ...(o.token ? { token: o.token } : {}),
    ...(o["data-dir"] ? { dataDir: o["data-dir"] } : {}),
    maxRuns: o["max-runs"],
    maxRunMiB: o["max-run-mib"],
    ...(o["in-memory"] ? {} : { stateDir: o["state-dir"] }),
    keepRuns: o["keep-runs"],
    ...(o["keep-days"] === undefined ? {} : { keepDays: o["keep-days"] }),
    ...(o.redis === undefined ? {} : { redis: o.redis }),
    train: !o["no-train"],
    corsOrigins: o["cors-origin"],
    plugins: o.plugin,
    help: o.help,
  };
}
