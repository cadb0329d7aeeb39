// The dashboard's end-to-end setup: the app with real trainings, served on 127.0.0.1, and
// headless Chromium on a fresh profile; all of it closed afterwards, also when a test fails.
import type { Page } from "playwright-core";
import { createRegistry, type Registry } from "../../core/checks/registry.ts";
import { builtinPlugins } from "../../plugins/mod.ts";
import { type AppOptions, createApp } from "../app.ts";
import { loadAssets } from "../assets.ts";
import { launchJob } from "../launch_job.ts";
import { createLiveRuns, type LiveRuns, type LiveRunsOptions } from "../live_runs.ts";
import { createRunStore, type RunStore, type RunStoreOptions } from "../run_store.ts";
import { openBrowser, type TestBrowser } from "./chromium.ts";

type Handler = (request: Request) => Response | Promise<Response>;

/** A request the server answered. */
export interface SeenRequest {
  path: string;
  status: number;
  referer: string;
}

export interface DashboardOptions {
  /** The store's options (default launch: real trainings on the TypeScript backend). */
  store?: Partial<RunStoreOptions>;
  /** Live runs too, with these options. */
  live?: LiveRunsOptions;
  /** More of the app's options: a token, SSE settings, a body limit. */
  app?: Pick<AppOptions, "token" | "sse" | "maxBodyBytes">;
  /** Wraps the app's handler, to cut its streams say. */
  wrap?: (handler: Handler) => Handler;
  /** The browser's viewport and downloads. */
  browser?: Parameters<typeof openBrowser>[0];
}

export interface TestDashboard {
  store: RunStore;
  /** With the `live` option. */
  live: LiveRuns | undefined;
  registry: Registry;
  /** The server's root, ending in a slash. */
  url: string;
  /** Every request the server answered so far, in order. */
  requests: SeenRequest[];
  browser: TestBrowser;
  /** The browser's first tab, not yet on any page. */
  page: Page;
  /** A temporary folder for the test's files (screenshots), removed afterwards. */
  scratch: string;
}

/** Runs `fn` against a served dashboard in headless Chromium, and closes all afterwards. */
export async function withDashboard(
  fn: (dashboard: TestDashboard) => Promise<void>,
  options: DashboardOptions = {},
): Promise<void> {
  const assets = await loadAssets();
  const registry = createRegistry(builtinPlugins());
  const store = createRunStore({ launch: launchJob({ backend: "ts" }), ...options.store });
  let live: LiveRuns | undefined, server: Deno.HttpServer<Deno.NetAddr> | undefined;
  let browser: TestBrowser | undefined, scratch: string | undefined;
  try { // from the store on, whatever was made is closed, also when making the rest fails
    live = options.live ? createLiveRuns(options.live) : undefined;
    const app = createApp({
      ...options.app,
      store,
      live,
      registry,
      assets: () => Promise.resolve(assets),
    });
    const handler = options.wrap?.((request) => app.fetch(request)) ?? app.fetch;
    const requests: SeenRequest[] = [];
    server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
      const res = await handler(req);
      const path = new URL(req.url).pathname;
      requests.push({ path, status: res.status, referer: req.headers.get("referer") ?? "" });
      return res;
    });
    const url = `http://127.0.0.1:${server.addr.port}/`;
    scratch = await Deno.makeTempDir({ prefix: "nagare-e2e-" });
    browser = await openBrowser(options.browser);
    const page = await browser.page();
    await fn({ store, live, registry, url, requests, browser, page, scratch });
  } finally {
    await settle([
      () => browser?.close(),
      () => live?.close(),
      () => store.close(),
      () => server?.shutdown(),
      () => scratch === undefined ? undefined : Deno.remove(scratch, { recursive: true }),
    ]);
  }
}

/** Runs every step, also after one fails, then throws the first failure. */
async function settle(steps: (() => Promise<void> | undefined)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) await Promise.resolve().then(step).catch((e) => failures.push(e));
  if (failures.length) throw failures[0];
}
