/**
 * Starts the server on Deno.serve: registry, run store and app wired
 * together, safe by default.
 *
 * @module
 */
import { createRegistry, type Registry } from "../core/checks/registry.ts";
import type { Plugin } from "../core/math/types.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { type AppOptions, createApp } from "./app.ts";
import { loadAssets } from "./assets.ts";
import { launchJob } from "./launch_job.ts";
import { launchInWorker } from "./worker_launch.ts";
import { openRunRecords } from "./run_records.ts";
import { createRunStore, type Launch, type RunService, type RunStoreOptions } from "./run_store.ts";
import { createRedisRunStore } from "./redis_store.ts";
import { createLiveRuns } from "./live_runs.ts";
import { type RedisTrainer, type RedisTrainerOptions, startRedisTrainer } from "./redis_trainer.ts";
import { connectRedis, redisKeys } from "./redis_runs.ts";
import { createRedisSweepStore } from "./redis_sweeps.ts";
import { admitRunConfig } from "./run_policy.ts";
import { createSweepService, type SweepService } from "./sweep_service.ts";
import { stateDbSweepStore } from "./sweep_store.ts";
import type { Redis } from "ioredis";

/** Options of {@linkcode startServer}. */
export interface ServeOptions extends Omit<AppOptions, "store" | "registry" | "assets"> {
  /** Address to bind (default 127.0.0.1); anything but loopback needs a token. */
  host?: string;
  /** Port (default 8000; 0 picks a free one). */
  port?: number;
  /** Runs training at once (default 2); more wait in the queue. */
  maxRuns?: number;
  /** Plugins beside the built-ins, already loaded (see `loadPluginModules`). */
  plugins?: readonly Plugin[];
  /** Module URLs (`file:///...`) of those plugins, for the training Workers to import. */
  pluginModules?: readonly string[];
  /**
   * Starts trainings (default {@linkcode launchInWorker}: each run in a Worker, so
   * requests never wait for training; {@linkcode launchJob} when `plugins` come without
   * `pluginModules`, since a Worker cannot rebuild them).
   */
  launch?: Launch;
  /** More store settings (queue, history bounds, retention). */
  store?: Omit<RunStoreOptions, "launch" | "maxRunning" | "records">;
  /**
   * Folder of the state database (`runs.db`): runs survive restarts and
   * resume from their last checkpoint. None keeps runs in memory.
   */
  stateDir?: string;
  /**
   * Redis URL: runs are kept in Redis and queued in BullMQ, shared with
   * every node given the same URL (`stateDir` is then unused).
   */
  redis?: string;
  /** With `redis`: also train runs from the queue here (default true); false serves only. */
  train?: boolean;
  /** With `redis` and `train`: the trainer's settings (lock time, checkpoints). */
  trainer?: Partial<Omit<RedisTrainerOptions, "url" | "launch" | "concurrency">>;
  /**
   * Called once listening, with the URL to open the dashboard at (default:
   * prints it): with a token, it carries it as `?token=`, which the page
   * moves into the tab's storage and out of the address bar.
   */
  onListen?: (url: string) => void;
}

/** A running server. */
export interface RunningServer {
  /** The dashboard's URL, e.g. `http://127.0.0.1:8000/`. */
  readonly url: string;
  readonly store: RunService;
  readonly registry: Registry;
  /** Stops every run, closes open streams and stops listening. */
  close(): Promise<void>;
}

/**
 * True for addresses only this machine can reach.
 *
 * @example
 * ```ts
 * import { isLoopback } from "./serve.ts";
 * [isLoopback("127.0.0.1"), isLoopback("localhost"), isLoopback("0.0.0.0")]; // [true, true, false]
 * ```
 */
export function isLoopback(host: string): boolean {
  return /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i.test(host);
}

/**
 * Checks the options, reads the dashboard files, builds the app and starts
 * listening. Refuses (TypeError) to bind a non-loopback address without a
 * token: anyone who reaches it could start runs and read results.
 *
 * @example
 * ```ts ignore
 * import { startServer } from "./serve.ts";
 * const server = await startServer({ port: 0 });
 * console.log(server.url);
 * await server.close();
 * ```
 */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const { host = "127.0.0.1", port = 8000, token, plugins = [] } = options;
  if (!isLoopback(host) && token === undefined) {
    throw new TypeError(
      `Refusing to listen on ${host} without a token: anyone who can reach it could start runs and read results. ` +
        "Pass --token <secret> (or set NAGARE_TOKEN), or bind 127.0.0.1",
    );
  }
  const registry = createRegistry([...builtinPlugins(), ...plugins]);
  const launch = options.launch ??
    (plugins.length > 0 && !options.pluginModules
      ? launchJob({ plugins })
      : launchInWorker({ plugins, pluginModules: options.pluginModules }));
  // Runs of a dead server are resumed once this one listens, not before: it may not get the port.
  const listening = Promise.withResolvers<Deno.NetAddr>();
  const records = options.stateDir === undefined || options.redis !== undefined
    ? undefined
    : openRunRecords(options.stateDir);
  const store: RunService = options.redis === undefined
    ? createRunStore({
      ...options.store,
      launch,
      maxRunning: options.maxRuns ?? 2,
      ...(records ? { records, ready: listening.promise } : {}),
    })
    : await createRedisRunStore({ ...options.store, url: options.redis });
  // Live runs need the process that holds their Worker: not offered with Redis (a 409 says so).
  const live = options.redis === undefined ? createLiveRuns() : undefined;
  let trainer: RedisTrainer | undefined;
  let server: Deno.HttpServer<Deno.NetAddr>;
  let sweepRedis: Redis | undefined, sweeps: SweepService | undefined;
  try {
    // Sweeps are kept where the runs are, and resumed once the store has adopted its runs.
    if (options.redis !== undefined) {
      sweepRedis = await connectRedis(options.redis, { failFast: true });
    }
    const sweepStore = sweepRedis
      ? createRedisSweepStore(sweepRedis, redisKeys())
      : records && stateDbSweepStore(records.db);
    sweeps = createSweepService({
      store,
      admit: (body) =>
        admitRunConfig(body, { registry, dataDir: options.dataDir, limits: options.limits }),
      ...(sweepStore ? { sweeps: sweepStore, ready: listening.promise } : {}),
      ...(records ? { owner: records.owner } : {}),
    });
    if (options.redis !== undefined && options.train !== false) {
      trainer = await startRedisTrainer({
        ...options.trainer,
        url: options.redis,
        launch,
        concurrency: options.maxRuns ?? 2,
      });
    }
    const assets = await loadAssets();
    const app = createApp({
      ...options,
      store,
      sweeps,
      registry,
      ...(live ? { live } : {}),
      assets: () => Promise.resolve(assets),
    });
    server = Deno.serve({
      hostname: host,
      port,
      onListen: (addr) => listening.resolve(addr),
    }, app.fetch);
  } catch (error) {
    await sweeps?.close();
    sweepRedis?.disconnect();
    await trainer?.close();
    await store.close(); // lets go of runs it may have resumed: the next server takes them
    records?.close();
    throw error;
  }
  const addr = await listening.promise;
  const shown = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  const url = `http://${shown}:${addr.port}/`;
  const open = token === undefined ? url : `${url}?token=${encodeURIComponent(token)}`;
  (options.onListen ?? ((u) => console.error(`nagare dashboard on ${u}`)))(open);
  return {
    url,
    store,
    registry,
    async close() {
      await sweeps!.close(); // first: the runs' ends that follow are a shutdown, not the sweeps'
      sweepRedis?.disconnect();
      await trainer?.close(); // hands its runs back to the queue
      await store.close(); // finishes every run, which ends every event stream
      await live?.close();
      await server.shutdown();
      records?.close();
    },
  };
}
