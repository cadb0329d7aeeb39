// Training throughput of a 784-128-64-10 relu/softmax network at batch 64 on
// random in-memory data: train() (shuffle, batch copies, events, event-loop
// turns) against the bare createTrainStep loop. Samples/s = 2048 / time per iteration.
import { lastValueFrom } from "rxjs";
import { fakeMse, fakeSgd } from "../_testing/fakes.ts";
import { fakeCrossEntropy, net } from "../_testing/train_fakes.ts";
import { inMemory } from "../data/in_memory.ts";
import { train, type TrainOptions } from "./train.ts";
import { createTrainStep } from "../math/train_step.ts";

const ROWS = 2048, INPUTS = 784, CLASSES = 10, BATCH = 64;
const spec = {
  inputs: INPUTS,
  layers: [
    { units: 128, activation: "relu" },
    { units: 64, activation: "relu" },
    { units: CLASSES, activation: "softmax" },
  ],
};
let seed = 7;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const x = Float32Array.from({ length: ROWS * INPUTS }, rand);
const y = new Float32Array(ROWS * CLASSES);
for (let i = 0; i < ROWS; i++) y[i * CLASSES + Math.floor(rand() * CLASSES)] = 1;
const data = inMemory({ x, y, inputs: INPUTS, outputs: CLASSES });
const group = "784-128-64-10 relu/softmax, batch 64, 2048 samples";

const bare = createTrainStep(net(spec), {
  loss: fakeCrossEntropy,
  optimizer: fakeSgd(0.01),
  batchSize: BATCH,
});
const batches = Array.from({ length: ROWS / BATCH }, (_, b) => ({
  x: { data: x.subarray(b * BATCH * INPUTS, (b + 1) * BATCH * INPUTS), rows: BATCH, cols: INPUTS },
  t: {
    data: y.subarray(b * BATCH * CLASSES, (b + 1) * BATCH * CLASSES),
    rows: BATCH,
    cols: CLASSES,
  },
}));
Deno.bench("bare createTrainStep loop", { group, baseline: true, n: 10, warmup: 2 }, () => {
  for (const batch of batches) bare.run(batch, { lr: 0.01 });
});

const network = net(spec);
const options: TrainOptions = {
  network,
  loss: fakeCrossEntropy,
  optimizer: fakeSgd(0.01),
  data,
  epochs: 1,
  batchSize: BATCH,
};
Deno.bench("train() with batch events", { group, n: 10, warmup: 2 }, async () => {
  await lastValueFrom(train(options));
});
Deno.bench("train() without batch events", { group, n: 10, warmup: 2 }, async () => {
  await lastValueFrom(train({ ...options, batchEvents: false }));
});
Deno.bench("train() yielding after every batch", { group, n: 10, warmup: 2 }, async () => {
  await lastValueFrom(train({ ...options, yieldEveryMs: 0 }));
});
Deno.bench("train() never yielding (pipeline cost only)", { group, n: 10, warmup: 2 }, async () => {
  await lastValueFrom(train({ ...options, yieldEveryMs: Infinity }));
});

// xor-tiny (2-8-1, tanh, sigmoid, MSE, SGD, one batch of 4 per epoch): here the
// trainer's per-epoch work (timing, the epoch event, layer statistics, the
// shuffle) costs as much as a step, so it shows what the pipeline adds.
const xorSpec = {
  inputs: 2,
  layers: [{ units: 8, activation: "tanh" }, { units: 1, activation: "sigmoid" }],
};
const xorX = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), xorY = new Float32Array([0, 1, 1, 0]);
const xorGroup = "xor-tiny 2-8-1, 1,000 epochs of one batch of 4";
const xorStep = createTrainStep(net(xorSpec), {
  loss: fakeMse,
  optimizer: fakeSgd(0.5),
  batchSize: 4,
});
const xorBatch = { x: { data: xorX, rows: 4, cols: 2 }, t: { data: xorY, rows: 4, cols: 1 } };
const withStats = { lr: 0.5, stats: true };
Deno.bench("bare createTrainStep loop, stats every step", {
  group: xorGroup,
  baseline: true,
}, () => {
  for (let i = 0; i < 1000; i++) xorStep.run(xorBatch, withStats);
});
Deno.bench("train()", { group: xorGroup }, async () => {
  await lastValueFrom(train({
    network: net(xorSpec),
    loss: fakeMse,
    optimizer: fakeSgd(0.5),
    data: inMemory({ x: xorX, y: xorY, inputs: 2, outputs: 1 }),
    epochs: 1000,
    batchSize: 4,
  }));
});
