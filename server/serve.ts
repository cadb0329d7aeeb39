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
import { createRunStore, type Launch, type RunStore, type RunStoreOptions } from "./run_store.ts";

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
  /** Starts trainings (default {@linkcode launchJob}). */
  launch?: Launch;
  /** More store settings (queue, history bounds). */
  store?: Omit<RunStoreOptions, "launch" | "maxRunning">;
  /** Called once listening, with the dashboard's URL (default: prints it). */
  onListen?: (url: string) => void;
}

/** A running server. */
export interface RunningServer {
  /** The dashboard's URL, e.g. `http://127.0.0.1:8000/`. */
  readonly url: string;
  readonly store: RunStore;
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
  const store = createRunStore({
    ...options.store,
    launch: options.launch ?? launchJob({ plugins }),
    maxRunning: options.maxRuns ?? 2,
  });
  const assets = await loadAssets();
  const app = createApp({ ...options, store, registry, assets: () => Promise.resolve(assets) });
  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: host,
    port,
    onListen: (addr) => listening.resolve(addr),
  }, app.fetch);
  const addr = await listening.promise;
  const shown = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  const url = `http://${shown}:${addr.port}/`;
  (options.onListen ?? ((u) => console.error(`nagare dashboard on ${u}`)))(url);
  return {
    url,
    store,
    registry,
    async close() {
      await store.close(); // finishes every run, which ends every event stream
      await server.shutdown();
    },
  };
}
