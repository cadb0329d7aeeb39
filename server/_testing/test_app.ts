// Builds the app around a store with fake trainings, for route tests.
import type { Hono } from "hono";
import { createRegistry, type Registry } from "../../core/checks/registry.ts";
import { builtinPlugins } from "../../plugins/mod.ts";
import { type AppOptions, createApp } from "../app.ts";
import { createRunStore, type RunStore, type RunStoreOptions } from "../run_store.ts";
import { fakeLaunch } from "./fake_training.ts";

export interface TestApp {
  app: Hono;
  store: RunStore;
  registry: Registry;
}

export type TestAppOptions = Partial<Omit<AppOptions, "store">> & {
  store?: Partial<RunStoreOptions>;
};

/** Runs `fn` with a fresh app and closes its store afterwards (no leaked timers). */
export async function withApp(
  fn: (t: TestApp) => Promise<void>,
  options: TestAppOptions = {},
): Promise<void> {
  const registry = options.registry ?? createRegistry(builtinPlugins());
  const store = createRunStore({ launch: fakeLaunch(3), ...options.store });
  const app = createApp({ logError: () => {}, ...options, store, registry });
  try {
    await fn({ app, store, registry });
  } finally {
    await store.close();
  }
}

/** A JSON POST request init. */
export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}

/** The error object of a JSON error response, checking its status. */
export async function errorOf(
  res: Response,
  status: number,
): Promise<{ code: string; message: string; [k: string]: unknown }> {
  const body = await res.json();
  if (res.status !== status) {
    throw new Error(`Expected status ${status}, got ${res.status}: ${JSON.stringify(body)}`);
  }
  if (!res.headers.get("content-type")?.startsWith("application/json")) {
    throw new Error("Expected a JSON error");
  }
  return body.error;
}
