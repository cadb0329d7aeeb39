// What one request to a server in the same process costs while train() runs.
// The client here is in the same thread, so it can only send during one of the
// trainer's turns (every `yieldEveryMs` of work: default 100; nagare's server
// takes 25 for the runs it trains in its own thread): this times the request
// within a turn, not the wait for one. A client elsewhere waits up to about
// `yieldEveryMs` for the next turn (README, "event-loop turns": curl at random
// moments). Baseline: the same request with no training.
// train_responsive_test.ts asserts that the turns happen.
import { fakeMse, fakeSgd } from "../_testing/fakes.ts";
import { net } from "../_testing/train_fakes.ts";
import { inMemory } from "../data/in_memory.ts";
import { train } from "./train.ts";

const ROWS = 2048, INPUTS = 256;
const x = new Float32Array(ROWS * INPUTS).map((_, i) => ((i * 7919) % 1000) / 1000);
const data = inMemory({ x, y: new Float32Array(ROWS * 10), inputs: INPUTS, outputs: 10 });
const group = "one request to an in-process server, 256-128-10 training at batch 64";

/** Times one fetch (only the fetch) while a run is under way, or with none when `yieldEveryMs` is undefined. */
async function fetchWhileTraining(b: Deno.BenchContext, yieldEveryMs?: number): Promise<void> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("ok"),
  );
  const url = `http://127.0.0.1:${server.addr.port}/`;
  await (await fetch(url)).text(); // connection set up before the clock runs
  const run = yieldEveryMs === undefined ? undefined : train({
    network: net({ inputs: INPUTS, layers: [{ units: 128, activation: "relu" }, { units: 10 }] }),
    loss: fakeMse,
    optimizer: fakeSgd(0.001),
    data,
    epochs: 1000,
    batchSize: 64,
    yieldEveryMs,
  });
  let started = (): void => {};
  const running = new Promise<void>((resolve) => (started = resolve));
  const sub = run?.subscribe((e) => void (e.type === "batch" && e.step === 2 && started()));
  if (sub) await running; // the request goes out mid-run, as a dashboard's would
  b.start();
  await (await fetch(url)).text();
  b.end();
  sub?.unsubscribe();
  await server.shutdown();
}

Deno.bench("no training", { group, baseline: true, n: 30, warmup: 3 }, async (b) => {
  await fetchWhileTraining(b);
});
const budgets: [number, string][] = [
  [100, "the default"],
  [25, "as the server's own runs"],
  [5, "finer"],
];
for (const [ms, what] of budgets) {
  Deno.bench(`while train() runs (yieldEveryMs ${ms}, ${what})`, {
    group,
    n: 30,
    warmup: 3,
  }, async (b) => {
    await fetchWhileTraining(b, ms);
  });
}
