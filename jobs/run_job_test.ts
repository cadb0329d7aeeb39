import assert from "node:assert/strict";
import { lastValueFrom, toArray } from "rxjs";
import { elementwise } from "../core/math/elementwise.ts";
import { parseRunConfig } from "./run_config.ts";
import { runJob } from "./run_job.ts";
import { predict } from "../core/math/predict.ts";
import { encodeRow, objectCells } from "../core/data/table.ts";
import { toModelFile } from "../core/model/model_file.ts";

const blobs = (files: Record<string, string>) => (path: string) => new Blob([files[path]]).stream();

Deno.test("runJob trains xor, scores the test rows and describes the model", async () => {
  const config = parseRunConfig({ dataset: "xor", epochs: 100 });
  const job = await runJob(config, { batchEvents: false });
  assert.deepEqual(job.samples, { train: 4, validation: 0, test: 4 });
  const events = await lastValueFrom(job.events$.pipe(toArray()));
  // The config's lr is the run's rate, whatever the optimizer's own default.
  assert.ok(events.every((e) => e.type !== "epoch" || e.lr === 0.1));
  assert.deepEqual([events[0].type, events.at(-1)?.type], ["start", "end"]);
  assert.equal(events.filter((e) => e.type === "batch").length, 0);
  const test = job.evaluateTest()!;
  assert.equal(test.accuracy, 1);
  const meta = job.modelMeta(test);
  assert.equal(meta.name, "xor");
  assert.equal(meta.training?.seed, 42);
  assert.deepEqual(meta.training?.config, config);
  const metrics = meta.training?.metrics as Record<string, unknown>;
  assert.equal(metrics.epoch, 100);
  assert.deepEqual(metrics.test, test);
  assert.deepEqual(meta.plugins?.map((p) => `${p.kind}:${p.name}`), [
    "loss:binaryCrossEntropy",
    "optimizer:adam",
  ]);
});

Deno.test("a custom optimizer without configure trains at the config's lr", async () => {
  const seen = new Set<number>();
  const plain = {
    kind: "optimizer" as const,
    name: "myorg/plain-sgd",
    lr: 0.5,
    slots: 0,
    update(
      p: Float32Array | Float64Array,
      g: Float32Array | Float64Array,
      _s: unknown,
      ctx: { lr: number },
    ) {
      seen.add(ctx.lr);
      for (let i = 0; i < p.length; i++) p[i] -= ctx.lr * g[i];
    },
  };
  const config = parseRunConfig({
    dataset: "xor",
    epochs: 2,
    lr: 0.03,
    optimizer: { name: "myorg/plain-sgd" },
  });
  const job = await runJob(config, { batchEvents: false, plugins: [plain] });
  seen.clear(); // the registry's checks probe the plugin at its own rate
  await lastValueFrom(job.events$.pipe(toArray()));
  assert.deepEqual([...seen], [0.03]);
});

Deno.test("runJob holds out the validation split and seeds everything", async () => {
  const config = parseRunConfig({ dataset: "iris", epochs: 3 });
  const [a, b] = [await runJob(config), await runJob(config)];
  assert.deepEqual(a.samples, { train: 96, validation: 24, test: 30 });
  const run = async (job: typeof a) =>
    (await lastValueFrom(job.events$.pipe(toArray()))).filter((e) => e.type === "epoch")
      .map((e) => e.type === "epoch" && e.valLoss);
  assert.deepEqual(await run(a), await run(b));
});

Deno.test("runJob refuses layers that do not end in the data's outputs", async () => {
  const config = parseRunConfig({
    dataset: "mnist",
    layers: [{ units: 3, activation: "softmax" }],
  });
  await assert.rejects(runJob(config), {
    name: "TypeError",
    message:
      "Invalid layers: the last layer has 3 units but mnist has 10 outputs; end the layers with 10 units",
  });
});

Deno.test("runJob registers the plugins it is given", async () => {
  const softsign = elementwise({
    name: "test/softsign",
    f: (x) => x / (1 + Math.abs(x)),
    df: (x) => 1 / (1 + Math.abs(x)) ** 2,
  });
  const config = parseRunConfig({
    dataset: "xor",
    layers: [{ units: 8, activation: "test/softsign" }, { units: 1, activation: "sigmoid" }],
    epochs: 5,
  });
  const job = await runJob(config, { plugins: [softsign], backend: "ts" });
  assert.equal(job.network.layers[0].activation, softsign);
  assert.equal(job.backend, "ts");
  await lastValueFrom(job.events$);
});

Deno.test("runJob streams an ndjson file, and its validation samples by a seeded hash", async () => {
  const lines = Array.from(
    { length: 40 },
    (_, i) => JSON.stringify({ x: [i / 40], y: [2 * i / 40] }),
  );
  const open = blobs({ "d.ndjson": lines.join("\n") });
  const layers = [{ units: 4, activation: "tanh" }, { units: 1 }];
  const base = { dataset: { ndjson: "d.ndjson" }, layers, loss: "mse", epochs: 2 };
  const streamed = await runJob(parseRunConfig({ ...base, validationSplit: 0 }), { open });
  assert.deepEqual(streamed.samples, { validation: 0 });
  const epochs = (await lastValueFrom(streamed.events$.pipe(toArray())))
    .filter((e) => e.type === "epoch");
  assert.equal(epochs.length, 2);
  assert.equal(streamed.evaluateTest(), undefined);
  const split = await runJob(parseRunConfig({ ...base, validationSplit: 0.25 }), { open });
  assert.deepEqual(split.samples, {}); // streamed: counted as they pass
  const splitEpochs = (await lastValueFrom(split.events$.pipe(toArray())))
    .filter((e) => e.type === "epoch");
  assert.ok(splitEpochs.every((e) => e.type === "epoch" && e.valLoss !== undefined));
});

Deno.test("a model saved from a CSV job carries its table: raw rows encode as in training", async () => {
  // Features around 1500 with a spread of 300: without the table's scaling,
  // raw inputs would saturate the network.
  const rows = ["x1,x2,label"];
  for (let i = 0; i < 200; i++) {
    const x1 = 1000 + ((i * 37) % 1000), x2 = -50 + ((i * 11) % 100);
    rows.push(`${x1},${x2},${x1 > 1500 ? "big" : "small"}`);
  }
  const config = parseRunConfig({
    dataset: { csv: "data.csv", target: "label" },
    layers: [{ units: 8, activation: "relu" }, { units: 2, activation: "softmax" }],
    epochs: 60,
    validationSplit: 0,
  });
  const job = await runJob(config, {
    open: blobs({ "data.csv": rows.join("\n") }),
    batchEvents: false,
  });
  await lastValueFrom(job.events$);
  const file = toModelFile(job.modelNetwork(), job.modelMeta(undefined));
  const table = file.table!;
  assert.deepEqual(table.target, { name: "label", type: "classes", classes: ["big", "small"] });
  assert.ok(file.plugins.every((p) => p.kind !== "activation" || p.fingerprint));
  const x = new Float32Array(200 * 2);
  rows.slice(1).forEach((r, i) => {
    const [x1, x2] = r.split(",");
    assert.equal(encodeRow(table, objectCells(table, { x1, x2: Number(x2) }), x, 2 * i), undefined);
  });
  const out = predict(job.network, { data: x, rows: 200, cols: 2 });
  let correct = 0;
  for (let i = 0; i < 200; i++) {
    const predicted = out.data[2 * i] > out.data[2 * i + 1] ? "big" : "small";
    if (rows[i + 1].endsWith(predicted)) correct++;
  }
  assert.ok(correct >= 180, `accuracy from raw rows ${correct}/200`);
});

Deno.test("a model saved from the built-in iris job takes raw measurements", async () => {
  const job = await runJob(parseRunConfig({ dataset: "iris", epochs: 60 }), { batchEvents: false });
  await lastValueFrom(job.events$);
  // Fisher's first setosa, versicolor and virginica flowers, in centimetres.
  const raw = new Float32Array([5.1, 3.5, 1.4, 0.2, 7.0, 3.2, 4.7, 1.4, 6.3, 3.3, 6.0, 2.5]);
  const out = predict(job.modelNetwork(), { data: raw, rows: 3, cols: 4 }).data;
  const classes = [0, 1, 2].map((r) =>
    [0, 1, 2].reduce((b, j) => out[r * 3 + j] > out[r * 3 + b] ? j : b, 0)
  );
  assert.deepEqual(classes, [0, 1, 2]);
  assert.equal(
    (job.modelMeta(undefined).training?.inputStandardization as { folded: boolean }).folded,
    true,
  );
  // The model keeps the class names and the column names: named rows read as raw measurements.
  const table = job.modelMeta(undefined).table!;
  assert.deepEqual(table.target, {
    name: "class",
    type: "classes",
    classes: ["setosa", "versicolor", "virginica"],
  });
  assert.deepEqual(table.columns.map((c) => c.name), [
    "sepal_length",
    "sepal_width",
    "petal_length",
    "petal_width",
  ]);
  const encoded = new Float32Array(4);
  encodeRow(
    table,
    objectCells(table, {
      sepal_length: 5.1,
      sepal_width: 3.5,
      petal_length: 1.4,
      petal_width: 0.2,
    }),
    encoded,
    0,
  );
  assert.deepEqual(Array.from(encoded), Array.from(raw.subarray(0, 4)));
});

Deno.test("runJob passes the config's warm-up to the trainer", async () => {
  const job = await runJob(parseRunConfig({ dataset: "xor", epochs: 4, warmupSteps: 2, lr: 0.2 }));
  const events = await lastValueFrom(job.events$.pipe(toArray()));
  const rates = events.flatMap((e) => (e.type === "batch" ? [e.lr] : []));
  assert.deepEqual(rates.map((r) => r.toFixed(6)), [
    "0.100000",
    "0.200000",
    "0.200000",
    "0.200000",
  ]);
});

/**
 * Runs `body` in a Deno process of its own, with `parseRunConfig`, `runJob`
 * and `blobs` in scope, and gives its output. After `body` (and the teardown
 * it leaves queued) the process prints how many Workers it started and has
 * not terminated: a pooled worker left waiting would keep the process alive
 * until its pool's 10 s idle timeout. Counted, not timed.
 */
async function inProcess(body: string): Promise<string> {
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const script = `
    import { parseRunConfig } from ${url("./run_config.ts")};
    import { runJob } from ${url("./run_job.ts")};
    const blobs = ${blobs.toString()};
    const live = new Set();
    globalThis.Worker = class extends Worker {
      constructor(...args) { super(...args); live.add(this); }
      terminate() { live.delete(this); super.terminate(); }
    };
    ${body}
    await new Promise((resolve) => setTimeout(resolve, 0));
    console.log("live workers", live.size);
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-lock", script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000), // a guard against a hang only
  }).output();
  return new TextDecoder().decode(out.stdout);
}

const twoCores = { ignore: (navigator.hardwareConcurrency ?? 1) < 2 };

const AHEAD_CASES: { name: string; body: string; prints: RegExp }[] = [
  {
    name: "trains on workers started while the data loaded and leaves none behind",
    body: `
      const job = await runJob(parseRunConfig({ dataset: "iris", epochs: 3, workers: 2, batchSize: 16 }));
      for (let run = 0; run < 2; run++) { // a second run starts its own worker
        await new Promise((resolve, reject) => job.events$.subscribe({ error: reject, complete: resolve }));
      }
      console.log("workers", job.workers);`,
    prints: /workers 2/,
  },
  {
    // Started for a file data set (its size unknown until read), then not needed: one thread.
    name: "ends the workers it started ahead when the network is too small to split",
    body: `
      const rows = ["a,b,y", ...Array.from({ length: 64 }, (_, i) => i + "," + (i % 7) + "," + (i % 2))];
      const config = parseRunConfig({
        dataset: { csv: "d.csv", target: "y" },
        layers: [{ units: 4, activation: "relu" }, { units: 1, activation: "sigmoid" }],
        loss: "binaryCrossEntropy",
        epochs: 2,
      });
      const job = await runJob(config, { open: blobs({ "d.csv": rows.join("\\n") }) });
      await new Promise((resolve, reject) => job.events$.subscribe({ error: reject, complete: resolve }));
      console.log("workers", job.workers);`,
    prints: /workers 1/,
  },
  {
    name: "ends the workers it started ahead when the job cannot be built",
    body: `
      const layers = [{ units: 4, activation: "relu" }, { units: 5, activation: "softmax" }];
      await runJob(parseRunConfig({ dataset: "iris", workers: 2, layers })).catch((e) => console.log(e.message));`,
    prints: /Invalid layers: the last layer has 5 units/,
  },
];

for (const { name, body, prints } of AHEAD_CASES) {
  Deno.test(`runJob ${name}`, twoCores, async () => {
    const out = await inProcess(body);
    assert.match(out, prints);
    assert.match(out, /^live workers 0$/m, `a worker was left waiting: ${out}`);
  });
}

Deno.test("a csv data set's delimiter reaches the reader; a 0/1 target under sigmoid is read as classes", async () => {
  const rows = ["x;y"];
  for (let i = 0; i < 120; i++) rows.push(`${(i % 10) / 10};${i % 10 < 5 ? 0 : 1}`);
  const config = parseRunConfig({
    dataset: { csv: "d.csv", target: "y", delimiter: ";" },
    layers: [{ units: 4, activation: "tanh" }, { units: 1, activation: "sigmoid" }],
    epochs: 40,
  });
  const job = await runJob(config, {
    open: blobs({ "d.csv": rows.join("\n") }),
    batchEvents: false,
  });
  assert.deepEqual(job.table?.table.target, { name: "y", type: "classes", classes: ["0", "1"] });
  const epochs = (await lastValueFrom(job.events$.pipe(toArray()))).filter((e) =>
    e.type === "epoch"
  );
  const last = epochs.at(-1)!;
  assert.ok(
    last.type === "epoch" && last.loss > 0 && (last.accuracy ?? 0) > 0.8,
    JSON.stringify(last),
  );
});
