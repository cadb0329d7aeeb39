/**
 * `deno task serve`: the training API and live dashboard, on
 * http://127.0.0.1:8000/ by default. See `--help`.
 *
 * @module
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadPluginModules } from "../io/load_plugins.ts";
import { parseServeArgs, SERVE_HELP } from "../server/serve_args.ts";
import { type RunningServer, startServer } from "../server/serve.ts";
import { joinNegativeValues } from "./_negative_values.ts";
import { printError, UsageError } from "./print_error.ts";
import { nextStopSignal } from "./_signals.ts";

/** Where {@linkcode main} writes, and what stops it (Ctrl-C or SIGTERM by default). */
export interface ServeIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the server should stop. */
  stopped?: Promise<unknown>;
  /** Called once listening, e.g. for tests. */
  started?: (server: RunningServer) => void;
}

/**
 * Runs the server until stopped; returns the exit code: 0 after a clean
 * stop, 2 for bad flags, files or addresses (the message says which), 1 for
 * an internal failure. Errors are printed by {@linkcode printError}.
 *
 * @example
 * ```ts ignore
 * import { main } from "./serve.ts";
 * Deno.exit(await main(["--port", "0"]));
 * ```
 */
export async function main(args: string[], io: ServeIo = {
  out: (l) => console.log(l),
  err: (l) => console.error(l),
}): Promise<number> {
  let server: RunningServer;
  try {
    const flags = parseServeArgs(joinNegativeValues(args), {
      NAGARE_TOKEN: Deno.env.get("NAGARE_TOKEN"),
      NAGARE_REDIS_URL: Deno.env.get("NAGARE_REDIS_URL"),
    });
    if (flags.help) {
      io.out(SERVE_HELP);
      return 0;
    }
    if (flags.dataDir !== undefined) {
      const info = await Deno.stat(flags.dataDir).catch(() => undefined);
      if (!info?.isDirectory) {
        throw new UsageError(`--data-dir: no folder ${flags.dataDir}; create it or fix the path`);
      }
    }
    const plugins = await loadPluginModules(flags.plugins);
    server = await startServer({
      host: flags.host,
      port: flags.port,
      token: flags.token,
      dataDir: flags.dataDir,
      maxRuns: flags.maxRuns,
      limits: { maxRunMiB: flags.maxRunMiB },
      ...(flags.stateDir === undefined ? {} : { stateDir: flags.stateDir }),
      ...(flags.redis === undefined ? {} : { redis: flags.redis, train: flags.train }),
      store: { keepFinished: flags.keepRuns, keepDays: flags.keepDays },
      corsOrigins: flags.corsOrigins,
      plugins,
      pluginModules: flags.plugins.map((p) => pathToFileURL(resolve(p)).href),
      onListen: (url) => {
        io.err(
          flags.redis !== undefined
            ? `runs: in Redis, shared with every node given it; ${
              flags.train
                ? `trained here too (${flags.maxRuns} at a time)`
                : "trained by workers only"
            }`
            : flags.stateDir !== undefined
            ? `runs: kept in ${flags.stateDir}/runs.db (they survive restarts)`
            : "runs: in memory only (--in-memory): they are lost when the server stops",
        );
        io.err(`nagare dashboard on ${url} (Ctrl-C stops)`);
      },
    });
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      const message = `The port is in use: ${error.message}; pass --port 0 or another port`;
      return printError(new UsageError(message), io.err);
    }
    return printError(error, io.err);
  }
  io.started?.(server);
  await (io.stopped ?? nextStopSignal());
  await server.close();
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args).catch((e) => printError(e)));
