/**
 * `deno task worker --redis URL`: trains runs from the Redis queue that
 * `deno task serve --redis URL` nodes fill, on as many machines as you
 * start it on. Ctrl-C or SIGTERM hands its runs back (another worker goes
 * on from their last checkpoint) and exits 0; a worker that dies hands them
 * on once its lock expires. Exit codes: 0 after a stop, 2 for bad flags or
 * an unreachable Redis, 1 for an internal failure.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as v from "valibot";
import { loadPluginModules } from "../io/load_plugins.ts";
import { startRedisTrainer } from "../server/redis_trainer.ts";
import { launchInWorker } from "../server/worker_launch.ts";
import { joinNegativeValues } from "./_negative_values.ts";
import { printError, UsageError } from "./print_error.ts";
import { nextStopSignal } from "./_signals.ts";

/** What `deno task worker --help` prints. */
export const WORKER_HELP = `Train runs from a Redis queue shared with deno task serve --redis nodes.

Usage: deno task worker --redis URL [options]

  --redis URL          the Redis every node uses, e.g. redis://127.0.0.1:6379 (or NAGARE_REDIS_URL)
  --concurrency N      runs trained at once (default 1; each in a Worker of its own)
  --lock-seconds N     a run's lock lasts this long unrenewed (default 20): a worker that dies
                       hands its runs on after at most this plus half of it
  --plugin FILE        load plugins from this module (repeatable; as on every node)
  -h, --help           show this help

Ctrl-C or SIGTERM hands the runs back at once: another worker continues each from its last
checkpoint, to the weights of a run never interrupted.`;

const whole = (flag: string, min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d+$/, `--${flag}: must be a whole number from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `--${flag}: must be a whole number from ${min} to ${max}`),
    v.maxValue(max, `--${flag}: must be a whole number from ${min} to ${max}`),
  );

const WorkerArgs = v.object({
  redis: v.pipe(
    v.string(
      "--redis: required: give the URL of the Redis the servers use, or set NAGARE_REDIS_URL",
    ),
    v.regex(/^rediss?:\/\/\S+$/, "--redis: must be a Redis URL such as redis://127.0.0.1:6379"),
  ),
  concurrency: whole("concurrency", 1, 64),
  "lock-seconds": whole("lock-seconds", 2, 3600),
  plugin: v.array(v.string()),
  help: v.boolean(),
});

/** Where {@linkcode main} writes, and what stops it (Ctrl-C or SIGTERM by default). */
export interface WorkerIo {
  err(line: string): void;
  out(line: string): void;
  stopped?: Promise<unknown>;
}

/**
 * Runs the worker until stopped; returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { main } from "./worker.ts";
 * Deno.exit(await main(["--redis", "redis://127.0.0.1:6379"]));
 * ```
 */
export async function main(args: string[], io: WorkerIo = {
  out: (l) => console.log(l),
  err: (l) => console.error(l),
}): Promise<number> {
  let trainer;
  try {
    let values: Record<string, unknown>;
    try {
      ({ values } = parseArgs({
        args: joinNegativeValues(args),
        strict: true,
        allowPositionals: false,
        options: {
          redis: { type: "string" },
          concurrency: { type: "string", default: "1" },
          "lock-seconds": { type: "string", default: "20" },
          plugin: { type: "string", multiple: true, default: [] },
          help: { type: "boolean", short: "h", default: false },
        },
      }));
    } catch (error) {
      throw new UsageError(`${(error as Error).message}; see deno task worker --help`);
    }
    if (values.help) return io.out(WORKER_HELP), 0;
    values.redis ??= Deno.env.get("NAGARE_REDIS_URL") || undefined;
    const parsed = v.safeParse(WorkerArgs, values);
    if (!parsed.success) {
      const { message, input } = parsed.issues[0];
      throw new UsageError(
        input === undefined ? message : `${message}, got ${JSON.stringify(input)}`,
      );
    }
    const flags = parsed.output;
    const plugins = await loadPluginModules(flags.plugin);
    const lockMs = flags["lock-seconds"] * 1000;
    trainer = await startRedisTrainer({
      url: flags.redis,
      launch: launchInWorker({
        plugins,
        pluginModules: flags.plugin.map((p) => pathToFileURL(resolve(p)).href),
      }),
      concurrency: flags.concurrency,
      lockMs,
      stalledCheckMs: lockMs / 2,
      onRun: (id, what) => io.err(`run ${id} ${what}`),
    });
    io.err(
      `nagare worker: training runs from Redis, ${flags.concurrency} at a time (Ctrl-C stops)`,
    );
  } catch (error) {
    return printError(error, io.err);
  }
  await (io.stopped ?? nextStopSignal());
  await trainer.close();
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args).catch((e) => printError(e)));
