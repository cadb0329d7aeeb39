/**
 * `deno task bench:api`: how long `GET /api/runs` takes while the server
 * trains. Starts the real server on a free port (in a child process,
 * `_api_server.ts`), posts two MNIST runs with two 1,024-unit hidden layers,
 * waits until both train, then sends `GET /api/runs` every 50 ms (100 times by
 * default) and prints the median, p95 and max. Target with the Worker launch:
 * median <= 50 ms, max <= 300 ms. `--launch in-process` measures the launch
 * that trains on the server's own event loop; `--launch both` measures both
 * and prints them side by side.
 *
 * @example
 * ```sh
 * deno task bench:api --launch both
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    launch: { type: "string", default: "worker" },
    requests: { type: "string", default: "100" },
    "every-ms": { type: "string", default: "50" },
  },
});
const modes = values.launch === "both" ? ["worker", "in-process"] : [values.launch!];
const REQUESTS = Number(values.requests), EVERY_MS = Number(values["every-ms"]);
if (!modes.every((m) => m === "worker" || m === "in-process")) {
  throw new TypeError(`Invalid --launch "${values.launch}": pass worker, in-process or both`);
}
if (!(REQUESTS >= 1 && EVERY_MS >= 0)) {
  throw new RangeError("Invalid --requests or --every-ms: pass a count of at least 1 and ms >= 0");
}
const SERVER = new URL("./_api_server.ts", import.meta.url).pathname;
const RUN = {
  dataset: "mnist",
  layers: [
    { units: 1024, activation: "relu" },
    { units: 1024, activation: "relu" },
    { units: 10, activation: "softmax" },
  ],
  epochs: 2,
};

/** Latencies in ms, summarized. */
interface Summary {
  launch: string;
  requests: number;
  median: number;
  p95: number;
  max: number;
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    let n;
    while ((n = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, n);
      buffer = buffer.slice(n + 1);
    }
  }
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

async function measure(launch: string): Promise<Summary> {
  console.error(`${launch}: starting the server and two MNIST runs`);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SERVER, launch, "2"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const out = lines(child.stdout);
    const next = async () => {
      const line = await out.next();
      if (line.done) throw new Error(`The ${launch} server exited early (see its error above)`);
      return JSON.parse(line.value);
    };
    const { url } = await next();
    for (let i = 0; i < 2; i++) {
      const res = await fetch(new URL("/api/runs", url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(RUN),
      });
      if (res.status !== 201) throw new Error(`POST /api/runs: ${res.status} ${await res.text()}`);
      await res.body?.cancel();
    }
    await next(); // both runs train
    console.error(
      `${launch}: both runs train; ${REQUESTS} GET /api/runs, one every ${EVERY_MS} ms`,
    );
    const times: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < REQUESTS; i++) {
      const wait = t0 + i * EVERY_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const began = performance.now();
      const res = await fetch(new URL("/api/runs", url));
      const { runs } = await res.json();
      times.push(performance.now() - began);
      if (runs.length !== 2) throw new Error(`GET /api/runs: ${runs.length} runs, not 2`);
    }
    const sorted = times.sort((a, b) => a - b);
    return {
      launch,
      requests: REQUESTS,
      median: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      max: sorted.at(-1)!,
    };
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
}

const results: Summary[] = [];
for (const launch of modes) results.push(await measure(launch));
const ms = (x: number) => x.toFixed(1);
console.log("| launch | requests | median ms | p95 ms | max ms |");
console.log("|---|---:|---:|---:|---:|");
for (const r of results) {
  console.log(`| ${r.launch} | ${r.requests} | ${ms(r.median)} | ${ms(r.p95)} | ${ms(r.max)} |`);
}
const worker = results.find((r) => r.launch === "worker");
if (worker) {
  const met = worker.median <= 50 && worker.max <= 300;
  console.log(`target (worker: median <= 50 ms, max <= 300 ms): ${met ? "met" : "NOT met"}`);
}
