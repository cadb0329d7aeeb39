/**
 * SSE load test: many clients on one run over real loopback sockets. Each
 * client must receive every epoch event once, in order. Bounded in time;
 * talks only to 127.0.0.1.
 *
 * Run: `deno run -A server/sse_load_bench.ts [clients]` for the figures, or
 * `deno task bench` (this file's Deno.bench runs the same scenario once).
 *
 * @module
 */
import { createRegistry } from "../core/checks/registry.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { createApp } from "./app.ts";
import { createRunStore } from "./run_store.ts";
import { parseRunConfig } from "../jobs/run_config.ts";
import { timedTraining } from "./_testing/fake_training.ts";

/** Options of {@linkcode sseLoad}. */
export interface SseLoadOptions {
  clients?: number;
  epochs?: number;
  batchesPerEpoch?: number;
  /** Pause between trainer events, in ms (a real trainer yields about this often). */
  delayMs?: number;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
}

/** What one load run measured. */
export interface LoadReport {
  clients: number;
  epochs: number;
  /** Clients that got every epoch event exactly once, in order. */
  complete: number;
  eventsDelivered: number;
  batchEventsDelivered: number;
  ms: number;
  rssMiB: number;
  heapMiB: number;
  subscribersAfter: number;
}

async function client(url: string, signal: AbortSignal) {
  const res = await fetch(url, { signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const epochs: number[] = [];
  let events = 0, batches = 0, buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const frames = buffer.split("\n\n");
    buffer = frames.pop()!;
    for (const frame of frames) {
      const event = /^event: (\w+)$/m.exec(frame)?.[1];
      if (!event) continue;
      events++;
      if (event === "batch") batches++;
      if (event === "epoch") epochs.push(JSON.parse(/^data: (.*)$/m.exec(frame)![1]).epoch);
    }
  }
  return { epochs, events, batches };
}

/**
 * Starts a server on 127.0.0.1 (random port), one run, and `clients` SSE
 * readers on it; returns the figures.
 *
 * @example
 * ```ts ignore
 * const report = await sseLoad({ clients: 200 });
 * report.complete === report.clients; // true
 * ```
 */
export async function sseLoad(options: SseLoadOptions = {}): Promise<LoadReport> {
  const { clients = 200, epochs = 40, batchesPerEpoch = 20, delayMs = 1, timeoutMs = 30_000 } =
    options;
  let release = () => {};
  const started = new Promise<void>((resolve) => (release = resolve));
  const store = createRunStore({
    launch: async () => {
      await started; // every client connects before training begins
      return timedTraining(epochs, batchesPerEpoch, delayMs);
    },
  });
  const app = createApp({ store, registry: createRegistry(builtinPlugins()) });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  const abort = AbortSignal.timeout(timeoutMs);
  try {
    const run = store.create(parseRunConfig({ dataset: "xor", epochs }));
    const url = `http://127.0.0.1:${server.addr.port}${`/api/runs/${run.id}/events`}`;
    const t0 = performance.now();
    const readers = Array.from({ length: clients }, () => client(url, abort));
    while (run.log.subscriberCount < clients && !abort.aborted) {
      await new Promise((r) => setTimeout(r, 5));
    }
    release();
    const results = await Promise.all(readers);
    const ms = performance.now() - t0;
    const memory = Deno.memoryUsage();
    const expected = Array.from({ length: epochs }, (_, i) => i + 1).join();
    return {
      clients,
      epochs,
      complete: results.filter((r) => r.epochs.join() === expected).length,
      eventsDelivered: results.reduce((n, r) => n + r.events, 0),
      batchEventsDelivered: results.reduce((n, r) => n + r.batches, 0),
      ms: Math.round(ms),
      rssMiB: Math.round(memory.rss / 2 ** 20),
      heapMiB: Math.round(memory.heapUsed / 2 ** 20),
      subscribersAfter: run.log.subscriberCount,
    };
  } finally {
    await store.close();
    await server.shutdown();
  }
}

Deno.bench({ name: "200 SSE clients on one run, 40 epochs", n: 1, warmup: 0 }, async () => {
  const report = await sseLoad({ clients: 200 });
  if (report.complete !== report.clients) {
    throw new Error(`Only ${report.complete} of ${report.clients} clients got every epoch event`);
  }
});

if (import.meta.main) {
  const clients = Number(Deno.args[0] ?? 200);
  const report = await sseLoad({ clients });
  console.log(JSON.stringify(report, null, 2));
  if (report.complete !== report.clients) Deno.exit(1);
}
