import assert from "node:assert/strict";
import { lastValueFrom, tap, toArray } from "rxjs";
import { fakeMse, fakeSgd } from "../_testing/fakes.ts";
import { blobs, fakeCrossEntropy, net, textStream, weightBytes } from "../_testing/train_fakes.ts";
import { fromArrays } from "../data/from_arrays.ts";
import { fromCsv } from "../data/from_csv.ts";
import { fromIterable } from "../data/from_iterable.ts";
import { oneHot } from "../data/one_hot.ts";
import { standardize } from "../data/standardize.ts";
import { train, type TrainOptions } from "./train.ts";
import type { BatchEvent, EpochEvent, TrainEvent } from "./train_events.ts";

const run = (o: TrainOptions): Promise<TrainEvent[]> => lastValueFrom(train(o).pipe(toArray()));
const of = <T extends TrainEvent["type"]>(events: TrainEvent[], type: T) =>
  events.filter((e): e is Extract<TrainEvent, { type: T }> => e.type === type);
const xorNet = () =>
  net({
    inputs: 2,
    layers: [{ units: 4, activation: "tanh" }, { units: 1, activation: "sigmoid" }],
  });
const xor = fromArrays([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]);

Deno.test("train learns XOR and emits start, batch, epoch and end events in order", async () => {
  const network = xorNet();
  const events = await run({
    network,
    loss: fakeMse,
    optimizer: fakeSgd(2),
    data: xor,
    epochs: 1500,
    batchSize: 4,
  });
  assert.deepEqual(events[0], {
    type: "start",
    epochs: 1500,
    fromEpoch: 1,
    samples: 4,
    batchSize: 4,
  });
  const last = events.at(-1)!;
  assert.equal(last.type, "end");
  assert.deepEqual({ ...last, elapsedMs: 0 }, {
    type: "end",
    reason: "completed",
    epochs: 1500,
    steps: 1500,
    elapsedMs: 0,
  });
  const epochs = of(events, "epoch");
  assert.equal(epochs.length, 1500);
  assert.ok(epochs.at(-1)!.loss < 0.02, `loss ${epochs.at(-1)!.loss}`);
  assert.equal(epochs.at(-1)!.accuracy, 1, "one sigmoid output with 0/1 targets is classification");
  assert.equal(epochs[0].layers.length, 2);
  assert.ok(epochs[0].layers.every((l) => l.gradNorm > 0 && l.weightNorm > 0 && l.updateRatio > 0));
});

Deno.test("train runs the last partial batch and counts samples", async () => {
  const { x, y } = blobs(10);
  const events = await run({
    network: xorNet(),
    loss: fakeMse,
    optimizer: fakeSgd(0.1),
    data: fromArrays(x, y),
    epochs: 2,
    batchSize: 4,
  });
  const batches = of(events, "batch");
  assert.deepEqual(batches.map((b) => [b.epoch, b.batch, b.step, b.samples]), [
    [1, 1, 1, 4],
    [1, 2, 2, 8],
    [1, 3, 3, 10],
    [2, 1, 4, 4],
    [2, 2, 5, 8],
    [2, 3, 6, 10],
  ]);
  assert.ok(batches.every((b) => b.samplesPerEpoch === 10 && b.lr === 0.1));
});

Deno.test("the same seed gives the same weights; another seed shuffles differently", async () => {
  const { x, y } = blobs(64);
  const fit = async (seed: number, shuffle = true) => {
    const network = xorNet();
    await run({
      network,
      loss: fakeMse,
      optimizer: fakeSgd(0.5),
      data: fromArrays(x, y),
      epochs: 3,
      batchSize: 8,
      seed,
      shuffle,
    });
    return weightBytes(network);
  };
  assert.equal(await fit(5), await fit(5));
  assert.notEqual(await fit(5), await fit(6));
  assert.equal(
    await fit(5, false),
    await fit(6, false),
    "without shuffling the seed does not matter",
  );
});

Deno.test("streamed samples train exactly like the same rows in memory", async () => {
  const { x, y } = blobs(30);
  const fit = async (data: TrainOptions["data"]) => {
    const network = xorNet();
    await run({
      network,
      loss: fakeMse,
      optimizer: fakeSgd(0.5),
      data,
      epochs: 2,
      batchSize: 8,
      shuffle: false,
    });
    return weightBytes(network);
  };
  const samples = x.map((xi, i) => ({ x: xi, y: y[i] }));
  assert.equal(await fit(fromIterable(samples)), await fit(fromArrays(x, y)));
});

Deno.test("validationSplit holds out rows and reports validation loss and accuracy", async () => {
  const { x, y } = blobs(100);
  const events = await run({
    network: net({
      inputs: 2,
      layers: [{ units: 8, activation: "tanh" }, { units: 2, activation: "softmax" }],
    }),
    loss: fakeCrossEntropy,
    optimizer: fakeSgd(0.5),
    data: fromArrays(x, y),
    validationSplit: 0.2,
    prepare: [oneHot(2), standardize()],
    epochs: 30,
    batchSize: 16,
  });
  const start = events[0] as Extract<TrainEvent, { type: "start" }>;
  assert.equal(start.samples, 80);
  assert.equal(start.prepared?.length, 2);
  assert.equal(start.prepared?.[0], null);
  assert.equal((start.prepared?.[1] as { mean: number[] }).mean.length, 2);
  const last = of(events, "epoch").at(-1)! as EpochEvent;
  assert.ok(last.valLoss! < 0.4 && last.valAccuracy! >= 0.85, JSON.stringify(last));
  assert.equal(of(events, "batch").filter((b: BatchEvent) => b.epoch === 1).length, 5);
});

Deno.test("regression reports no accuracy; batchEvents: false emits no batch events", async () => {
  const events = await run({
    network: net({ inputs: 2, layers: [{ units: 1 }] }),
    loss: fakeMse,
    optimizer: fakeSgd(0.1),
    data: fromArrays([[0, 1], [1, 0], [1, 1]], [0.5, 2, 3]),
    epochs: 2,
    batchSize: 2,
    batchEvents: false,
  });
  assert.deepEqual(events.map((e) => e.type), ["start", "epoch", "epoch", "end"]);
  assert.ok(!("accuracy" in events[1]));
});

Deno.test("train reports data that does not fit the network as the Observable's error", async () => {
  const options = { loss: fakeMse, optimizer: fakeSgd(0.1), epochs: 1, batchSize: 2 };
  await assert.rejects(run({ ...options, network: xorNet(), data: fromArrays([[1, 2, 3]], [1]) }), {
    name: "TypeError",
    message: /samples have 3 features but the network takes 2 inputs/,
  });
  const classes = net({ inputs: 2, layers: [{ units: 3, activation: "softmax" }] });
  await assert.rejects(run({ ...options, loss: fakeCrossEntropy, network: classes, data: xor }), {
    message: /add prepare: \[oneHot\(classes\)\]/,
  });
  await assert.rejects(run({ ...options, network: xorNet(), data: xor, epochs: 0 }), {
    name: "RangeError",
    message: "Invalid epochs: 0 must be a whole number of at least 1",
  });
  await assert.rejects(run({ ...options, network: xorNet(), data: fromIterable([]), epochs: 1 }), {
    message: /training data has no samples/,
  });
});

Deno.test("a bad CSV row fails training with its line number", async () => {
  const text = "a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,oops\n";
  let batches = 0;
  const events$ = train({
    network: xorNet(),
    loss: fakeMse,
    optimizer: fakeSgd(0.1),
    data: fromCsv(() => textStream(text), { target: "y" }),
    epochs: 1,
    batchSize: 1,
    shuffle: false,
  });
  await assert.rejects(
    lastValueFrom(events$.pipe(tap((e) => void (e.type === "batch" && batches++)))),
    {
      name: "TypeError",
      message: /^Invalid CSV: line 5, column "y": "oops" is not a number; fix or remove the row$/,
    },
  );
  assert.equal(batches, 2, "rows before it trained (the reader looks one sample ahead)");
});

/** The epoch events of XOR trained with one full batch per epoch. */
const xorEpochs = async (o: Partial<TrainOptions>): Promise<EpochEvent[]> =>
  of(
    await run({
      network: xorNet(),
      loss: fakeMse,
      optimizer: fakeSgd(2),
      data: xor,
      epochs: 100,
      batchSize: 4,
      ...o,
    }),
    "epoch",
  );

Deno.test("tiny epochs are measured together: the others repeat the last measurement and name its epoch", async () => {
  const events = await xorEpochs({ epochs: 3000, batchEvents: false });
  assert.equal(events.length, 3000);
  const repeated = events.filter((e) => e.measuredEpoch !== undefined);
  // An epoch here takes a few microseconds: most repeat a measurement.
  assert.ok(repeated.length > 1500, `${repeated.length} repeated`);
  assert.equal(events[0].measuredEpoch, undefined);
  assert.equal(events.at(-1)!.measuredEpoch, undefined); // the last epoch is always measured
  let measured: EpochEvent = events[0], elapsed = 0;
  for (const e of events) {
    assert.ok(e.elapsedMs >= elapsed);
    elapsed = e.elapsedMs;
    if (e.measuredEpoch === undefined) {
      assert.equal(e.layers.length, 2);
      assert.ok(e.layers.every((l) => l.gradNorm > 0 && l.weightNorm > 0));
      measured = e;
      continue;
    }
    assert.equal(e.measuredEpoch, measured.epoch);
    assert.equal(e.layers, measured.layers);
    assert.equal(e.samplesPerSec, measured.samplesPerSec);
    assert.equal(e.elapsedMs, measured.elapsedMs);
  }
});

Deno.test("with validation every epoch is measured on its own", async () => {
  const events = await xorEpochs({ epochs: 300, validation: xor });
  assert.ok(events.every((e) => e.measuredEpoch === undefined && e.layers.length === 2));
});
