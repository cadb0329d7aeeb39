/**
 * `deno task bench:peers`: W1 (MNIST MLP), W2 (xor-tiny) and W3 (GEMM) for
 * nagare and TensorFlow.js 4.22 (cpu and wasm backends) in one run, each
 * measurement in a child process of its own (see `_peer_child.ts`). Prints a
 * markdown table (nagare, peer, nagare/peer) with the machine and date, and
 * saves it atomically to docs/bench_peers.md. About 4 minutes; `--quick`
 * (1 epoch, fewer runs, no TensorFlow.js cpu GEMM) takes about 1. W4 times
 * 64-row MNIST `predict` in-process (nagare ts, nagare wasm and TensorFlow.js
 * wasm in turn); `--only predict` runs W4 alone and prints it without saving.
 * Fashion-MNIST (54,065 training rows, W1's network) times one thread and two
 * in turn, over epochs 2-3, which adds about 2 minutes (`--only fashion`: that
 * alone, printed, not saved). `--only w1` runs W1's one thread and
 * TensorFlow.js wasm in turn, five rounds, printed, not saved.
 *
 * @example
 * ```sh
 * deno task bench:peers --quick
 * deno task bench:peers --only predict
 * deno task bench:peers --only fashion
 * deno task bench:peers --only w1
 * ```
 *
 * @module
 */
import { writeFileAtomic } from "../io/write_atomic.ts";
import type { PeerSpec } from "./_peer_child.ts";
import { type BenchTarget, peerReport, type PeerRow } from "./_report.ts";
import { FASHION_CSV } from "./_fashion.ts";

const quick = Deno.args.includes("--quick");
const onlyAt = Deno.args.indexOf("--only"), only = onlyAt < 0 ? undefined : Deno.args[onlyAt + 1];
if (only !== undefined && !["predict", "fashion", "w1"].includes(only)) {
  throw new TypeError(`Unknown --only: ${only}, expected predict, fashion or w1`);
}
const EPOCHS = quick ? 1 : 5, ROUNDS = quick ? 1 : 5;
const XOR_EPOCHS = quick ? 1000 : 5000, XOR_RUNS = quick ? 2 : 3, BUDGET_MS = quick ? 300 : 1000;
const OUT = new URL("../docs/bench_peers.md", import.meta.url);
const CHILD = new URL("./_peer_child.ts", import.meta.url).pathname;

// deno-lint-ignore no-explicit-any
type Result = Record<string, any>;

async function child(spec: PeerSpec): Promise<Result> {
  console.error(`measuring ${JSON.stringify(spec)}`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-lock", CHILD, JSON.stringify(spec)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  if (!out.success || !lines.at(-1)?.startsWith("{")) {
    throw new Error(`${JSON.stringify(spec)} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(lines.at(-1)!);
}

/** The run with the median `key` (default samples/s) of `runs`. */
const medianOf = (runs: Result[], key = "samplesPerSec"): Result =>
  [...runs].sort((a, b) => a[key] - b[key])[runs.length >> 1];

function cpuModel(): string {
  try {
    return Deno.readTextFileSync("/proc/cpuinfo").match(/model name\s*:\s*(.+)/)?.[1] ??
      "unknown CPU";
  } catch {
    return "unknown CPU";
  }
}

const nagareSpec = (backend: "ts" | "wasm", workers: number): PeerSpec => ({
  task: "w1",
  impl: "nagare",
  backend,
  workers,
  epochs: EPOCHS,
});

/**
 * Two one-thread runs at once, in processes of their own: both runs'
 * samples over the time from the first start to the last end, so runs that
 * overlap only in part count as slower. How far this machine's two cores
 * scale when nothing is shared, the ceiling for the two-thread row.
 */
async function sideBySide(): Promise<Result> {
  const spec = nagareSpec("wasm", 1);
  const [a, b] = (await Promise.all([child(spec), child(spec)])).map((r) => r.window);
  const seconds = (Math.max(a.ended, b.ended) - Math.min(a.began, b.began)) / 1000;
  return {
    samplesPerSec: (a.samples + b.samples) / seconds,
    setup: "2 processes x 1 thread, at once",
  };
}

/**
 * One thread, TensorFlow.js wasm, two threads and two processes side by
 * side: `n` rounds of one run of each, in turn, and the median of each. How
 * fast the host runs drifts from one minute to the next; runs taken in turn
 * see the same drift, blocks of runs taken one after the other do not.
 * `oneVsPeer` leaves out the two-thread runs.
 */
async function rounds(n: number, oneVsPeer = false) {
  const one: Result[] = [], tf: Result[] = [], two: Result[] = [], pair: Result[] = [];
  for (let i = 0; i < n; i++) {
    one.push(await child(nagareSpec("wasm", 1)));
    tf.push(await child({ task: "w1", impl: "tfjs-wasm", epochs: EPOCHS }));
    if (oneVsPeer) continue;
    two.push(await child(nagareSpec("wasm", 2)));
    pair.push(await sideBySide());
  }
  const ratio = (runs: Result[], base: Result[], key: string) =>
    runs.map((r, i) => r[key] / base[i][key]);
  // Runs of 3 epochs or more (not --quick) also time the epochs after the second.
  const timed = [...one, ...two].every((r) => r.laterSamplesPerSec !== undefined);
  return {
    one: medianOf(one),
    tf: medianOf(tf),
    vsPeer: ratio(one, tf, "samplesPerSec"),
    two: oneVsPeer ? undefined : medianOf(two),
    pair: oneVsPeer ? undefined : medianOf(pair),
    ratios: ratio(two, one, "samplesPerSec"),
    later: timed && !oneVsPeer
      ? {
        one: medianOf(one, "laterSamplesPerSec"),
        two: medianOf(two, "laterSamplesPerSec"),
        ratios: ratio(two, one, "laterSamplesPerSec"),
      }
      : undefined,
  };
}

const side = (r: Result, key: string, scale = 1) => ({
  setup: r.setup as string,
  value: r[key] * scale,
});

const PREDICT_ROWS = 64, PREDICT_CALLS = 2000, PREDICT_ROUNDS = quick ? 1 : 3;
const W4 = "W4 mnist-predict";

/**
 * W4: nagare ts, nagare wasm and TensorFlow.js wasm in turn, `PREDICT_ROUNDS`
 * rounds, each the median call of its own process; the median round of each.
 */
async function predictRows(): Promise<{ rows: PeerRow[]; target: BenchTarget; note: string }> {
  const runs: Record<"nagare-ts" | "nagare-wasm" | "tfjs-wasm", Result[]> = {
    "nagare-ts": [],
    "nagare-wasm": [],
    "tfjs-wasm": [],
  };
  for (let i = 0; i < PREDICT_ROUNDS; i++) {
    for (const impl of ["nagare-ts", "nagare-wasm", "tfjs-wasm"] as const) {
      runs[impl].push(
        await child({ task: "w4", impl, rows: PREDICT_ROWS, calls: PREDICT_CALLS }),
      );
    }
  }
  const [ts, wasm, tf] = [runs["nagare-ts"], runs["nagare-wasm"], runs["tfjs-wasm"]]
    .map((r) => medianOf(r, "callsPerSec"));
  const row = (nagare: Result): PeerRow => ({
    workload: W4,
    measure: `${PREDICT_ROWS}-row MNIST predict in-process, calls/s`,
    nagare: side(nagare, "callsPerSec"),
    peer: side(tf, "callsPerSec"),
  });
  const vsTf = row(wasm);
  const ms = (r: Result) => `${r.ms.toFixed(3)} ms`;
  const note = `${PREDICT_ROWS}-row MNIST predict in-process, median ms per call: nagare ts ${
    ms(ts)
  }, nagare wasm ${ms(wasm)}, TensorFlow.js wasm ${ms(tf)} (TF.js / nagare wasm = ${
    (tf.ms / wasm.ms).toFixed(2)
  }x).\n`;
  return {
    rows: [vsTf, row(ts)],
    target: { label: "W4 predict wasm ≥ TensorFlow.js wasm calls/s", row: vsTf, atLeast: 1 },
    note,
  };
}

const machine = (mode: string) => ({
  cpu: cpuModel(),
  cores: navigator.hardwareConcurrency,
  deno: Deno.version.deno,
  v8: Deno.version.v8,
  date: new Date().toISOString().slice(0, 10),
  mode,
});

if (only === "predict") {
  const w4 = await predictRows();
  const mode =
    `W4 only: ${PREDICT_ROUNDS} rounds of ${PREDICT_CALLS} calls after as many warm-up calls`;
  console.log(peerReport(machine(mode), w4.rows, [w4.target]) + "\n" + w4.note);
  Deno.exit(0);
}

const FASHION_EPOCHS = 3, FASHION = "Fashion-MNIST mlp";

/**
 * Fashion-MNIST, one thread and two in turn for `n` rounds (the same process
 * type: a child each), samples/s over epochs 2-3; the medians and the ratio
 * of each round. Builds the CSV first when `bench:data` has not.
 */
async function fashionRounds(
  n: number,
): Promise<{ row: PeerRow; target: BenchTarget; note: string }> {
  try {
    await Deno.stat(FASHION_CSV);
  } catch {
    console.error("building the Fashion-MNIST CSV ...");
    await Deno.mkdir(new URL("../.tmp-bench/", import.meta.url), { recursive: true });
    const make = new URL("./_data_child.ts", import.meta.url).pathname;
    const built = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-lock", make, "make", FASHION_CSV],
    }).output();
    if (!built.success) throw new Error(`Building ${FASHION_CSV} failed`);
  }
  const one: Result[] = [], two: Result[] = [];
  for (let i = 0; i < n; i++) {
    one.push(await child({ task: "fashion", workers: 1, epochs: FASHION_EPOCHS }));
    two.push(await child({ task: "fashion", workers: 2, epochs: FASHION_EPOCHS }));
  }
  const key = "laterSamplesPerSec";
  const row: PeerRow = {
    workload: FASHION,
    measure: `samples/s over epochs 2-${FASHION_EPOCHS} (54,065 rows), 2 threads vs 1`,
    nagare: side(medianOf(two, key), key),
    peer: side(medianOf(one, key), key),
  };
  const ratios = two.map((r, i) => (r[key] / one[i][key]).toFixed(2)).join(", ");
  return {
    row,
    target: { label: "Fashion-MNIST two threads ≥ 1.6x one thread", row, atLeast: 1.6 },
    note:
      `Fashion-MNIST two threads vs one over epochs 2-${FASHION_EPOCHS}, round by round: ${ratios}.\n`,
  };
}

if (only === "fashion") {
  const f = await fashionRounds(ROUNDS);
  const mode = `Fashion-MNIST only: ${ROUNDS} rounds of one thread and two in turn (medians)`;
  console.log(peerReport(machine(mode), [f.row], [f.target]) + "\n" + f.note);
  Deno.exit(0);
}

const W1 = "W1 mnist-mlp", W2 = "W2 xor-tiny", W3 = "W3 GEMM";
const samples = (measure: string, a: Result, b: Result, key = "samplesPerSec"): PeerRow => ({
  workload: W1,
  measure,
  nagare: side(a, key),
  peer: side(b, key),
});
const scaling = await rounds(ROUNDS, only === "w1");
const { one: wasm1, tf: tfWasm } = scaling;
const vsWasm = samples("training samples/s", wasm1, tfWasm);
const listed = (ratios: number[]) => ratios.map((r) => r.toFixed(2)).join(", ");
const w1Targets: BenchTarget[] = [
  { label: "W1 one thread ≥ 3x TensorFlow.js wasm samples/s", row: vsWasm, atLeast: 3 },
  { label: "W1 one thread ≥ 10x TensorFlow.js wasm samples/s", row: vsWasm, atLeast: 10 },
];
const vsPeerNote = `W1 one thread vs TensorFlow.js wasm, round by round: ${
  listed(scaling.vsPeer)
}.\n`;
if (only === "w1") {
  const mode =
    `W1 only: ${EPOCHS} epochs, nagare wasm-simd 1 thread and TensorFlow.js wasm in ${ROUNDS} rounds taken in turn (medians)`;
  console.log(peerReport(machine(mode), [vsWasm], w1Targets) + "\n" + vsPeerNote);
  Deno.exit(0);
}
const [wasm2, pair] = [scaling.two!, scaling.pair!];
const [ts1, ts2] = [await child(nagareSpec("ts", 1)), await child(nagareSpec("ts", 2))];
const tfCpu = await child({ task: "w1", impl: "tfjs-cpu", epochs: EPOCHS });
const xor = (impl: "nagare" | "hand" | "tfjs-cpu" | "tfjs-wasm") =>
  child({ task: "w2", impl, epochs: XOR_EPOCHS, runs: XOR_RUNS });
const [xorNagare, xorHand, xorCpu, xorWasm] = [
  await xor("nagare"),
  await xor("hand"),
  await xor("tfjs-cpu"),
  await xor("tfjs-wasm"),
];
const gemm = (impl: "nagare" | "tfjs-cpu" | "tfjs-wasm") =>
  child({ task: "w3", impl, budgetMs: BUDGET_MS });
const [gemmNagare, gemmWasm] = [await gemm("nagare"), await gemm("tfjs-wasm")];
const gemmCpu = quick ? undefined : await gemm("tfjs-cpu");

const twoThreads = samples("training samples/s, 2 threads vs 1", wasm2, wasm1);
const rows: PeerRow[] = [
  vsWasm,
  samples("training samples/s", wasm1, tfCpu),
  twoThreads,
  samples("training samples/s, 2 separate processes vs 1 (the machine's ceiling)", pair, wasm1),
  ...(scaling.later
    ? [samples(
      `samples/s over epochs 3-${EPOCHS} of the same runs, 2 threads vs 1`,
      scaling.later.two,
      scaling.later.one,
      "laterSamplesPerSec",
    )]
    : []),
  samples("training samples/s, pure JS", ts1, tfCpu),
  samples("training samples/s, pure JS, 2 threads vs 1", ts2, ts1),
];
const accuracy = (a: Result, b: Result): PeerRow => ({
  workload: W1,
  measure: "test accuracy, %",
  nagare: side(a, "accuracy", 100),
  peer: side(b, "accuracy", 100),
  digits: 2,
});
const memory = (a: Result, b: Result): PeerRow => ({
  workload: W1,
  measure: "peak RSS, MB",
  nagare: side(a, "peakMB"),
  peer: side(b, "peakMB"),
});
const sameAccuracy = accuracy(wasm1, ts1), rss1 = memory(wasm1, tfWasm);
const rss2 = memory(wasm2, tfWasm);
rows.push(sameAccuracy, accuracy(wasm1, tfWasm), rss1, rss2);
const steps = (peer: Result, setup: string): PeerRow => ({
  workload: W2,
  measure: `steps/s (${XOR_EPOCHS} epochs)`,
  nagare: { setup: "train()", value: xorNagare.stepsPerSec },
  peer: { setup, value: peer.stepsPerSec },
});
const xorVsCpu = steps(xorCpu, "tfjs-cpu model.fit"),
  xorVsHand = steps(xorHand, "hand-written loop");
rows.push(xorVsCpu, steps(xorWasm, "tfjs-wasm model.fit"), xorVsHand);
const shapes = ["64x784 * 784x128", "256x256 * 256x256", "1024x1024 * 1024x1024"];
const flops = (peer: Result, setup: string) =>
  shapes.map((shape, i): PeerRow => ({
    workload: W3,
    measure: `GFLOPS ${shape}`,
    nagare: { setup: "wasm-simd, 1 thread", value: gemmNagare.gflops[i] },
    peer: { setup, value: peer.gflops[i] },
    digits: 1,
  }));
const gemmRows = flops(gemmWasm, "tfjs-wasm, 1 thread");
rows.push(...gemmRows);
if (gemmCpu) rows.push(...flops(gemmCpu, "tfjs-cpu"));
const w4 = await predictRows();
rows.push(...w4.rows);
const fashion = await fashionRounds(ROUNDS);
rows.push(fashion.row);

const targets: BenchTarget[] = [
  ...w1Targets,
  { label: "W1 two threads ≥ 1.7x one thread", row: twoThreads, atLeast: 1.7 },
  { label: "W1 test accuracy wasm within 0.5 points of pure TS", row: sameAccuracy, within: 0.5 },
  { label: "W1 peak RSS < 150 MB, one thread", row: rss1, below: 150 },
  { label: "W1 peak RSS < 150 MB, two threads", row: rss2, below: 150 },
  { label: "W2 train() ≥ 50x TensorFlow.js cpu model.fit", row: xorVsCpu, atLeast: 50 },
  { label: "W2 train() ≥ half the hand-written loop", row: xorVsHand, atLeast: 0.5 },
  ...gemmRows.map((row) => ({ label: `W3 ${row.measure} ≥ TensorFlow.js wasm`, row, atLeast: 1 })),
  w4.target,
  fashion.target,
];
const mode = quick
  ? `quick: W1 ${EPOCHS} epoch, one run each; W2 ${XOR_EPOCHS} epochs, best of ${XOR_RUNS} or more runs (2 s)`
  : `full: W1 ${EPOCHS} epochs, nagare wasm-simd with 1 thread, 2 threads and 2 processes in ${ROUNDS} rounds taken in turn (medians), TensorFlow.js wasm in the same rounds; W2 ${XOR_EPOCHS} epochs, best of ${XOR_RUNS} or more runs (2 s) after a warm-up; W3 best run of about ${
    BUDGET_MS / 1000
  } s`;
const perRound = `Two threads vs one, round by round: ${listed(scaling.ratios)}${
  scaling.later ? `; over epochs 3-${EPOCHS} only: ${listed(scaling.later.ratios)}` : ""
}.\n`;
const report = peerReport(machine(mode), rows, targets);
const text = report + "\n" + vsPeerNote + perRound + w4.note + fashion.note;
console.log(text);
await writeFileAtomic(OUT.pathname, text);
console.error(`saved ${OUT.pathname}`);
