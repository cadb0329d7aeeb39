import assert from "node:assert/strict";
import { filter, firstValueFrom, from, lastValueFrom, take, toArray } from "rxjs";
import { fakeMse, fakeSgd } from "../_testing/fakes.ts";
import {
  blobs,
  fakeCrossEntropy,
  fakeMomentum,
  net,
  weightBytes,
} from "../_testing/train_fakes.ts";
import { tsBackend } from "../math/kernels.ts";
import { predict } from "../math/predict.ts";
import { argmaxRow } from "../math/metrics.ts";
import { createTrainStep, type TrainStep } from "../math/train_step.ts";
import type { Checkpoint } from "../model/checkpoint.ts";
import { toModelFile } from "../model/model_file.ts";
import type { OnlineEvent, WindowEvent } from "./online_events.ts";
import { onlineLearner, type OnlineSample, trainOn } from "./online_learner.ts";
import type { OnlineOptions } from "./online_options.ts";

const SPEC = {
  inputs: 2,
  layers: [{ units: 6, activation: "tanh" }, { units: 2, activation: "softmax" }],
};

/** Seeded two-class samples, one-hot. */
function samples(n: number, seed = 3): { x: number[]; y: number[] }[] {
  const { x, y } = blobs(n, seed);
  return x.map((row, i) => ({ x: row, y: y[i] ? [0, 1] : [1, 0] }));
}

const options = (extra: Partial<OnlineOptions> = {}): OnlineOptions => ({
  network: net(SPEC),
  loss: fakeCrossEntropy,
  optimizer: fakeMomentum(0.1),
  batchSize: 32,
  window: 50,
  ...extra,
});

const run = (rows: readonly OnlineSample[], extra: Partial<OnlineOptions> = {}) =>
  lastValueFrom(from(rows).pipe(trainOn(options(extra)), toArray()));

const windowsOf = (events: OnlineEvent[]) =>
  events.filter((e): e is WindowEvent => e.type === "window");

Deno.test("trainOn scores each batch with the weights before its step, then takes the same step as createTrainStep", async () => {
  const data = samples(200);
  const events = await run(data);
  const twin = net(SPEC);
  const step = createTrainStep(twin, {
    loss: fakeCrossEntropy,
    optimizer: fakeMomentum(0.1),
    batchSize: 32,
  });
  const batches = events.filter((e) => e.type === "batch");
  assert.equal(batches.length, 7); // 6 full batches and the last 8 samples
  const correct: boolean[] = [];
  for (let b = 0; b * 32 < 200; b++) {
    const rows = data.slice(b * 32, b * 32 + 32);
    const x = { data: new Float32Array(rows.flatMap((r) => r.x)), rows: rows.length, cols: 2 };
    const t = { data: new Float32Array(rows.flatMap((r) => r.y)), rows: rows.length, cols: 2 };
    const before = predict(twin, x); // forward only, before the update
    rows.forEach((r, i) => correct.push(argmaxRow(before, i) === r.y.indexOf(1)));
    assert.equal(batches[b].loss, step.run({ x, t }, { lr: 0.1 }));
    assert.equal(batches[b].step, b + 1);
  }
  const windows = windowsOf(events);
  assert.deepEqual(windows.map((w) => [w.samples, w.size]), [[50, 50], [100, 50], [150, 50], [
    200,
    50,
  ]]);
  windows.forEach((w, i) => {
    const right = correct.slice(i * 50, i * 50 + 50).filter(Boolean).length;
    assert.equal(w.accuracy, right / 50, `window ${i + 1}`);
  });
  const total = windows.reduce((s, w) => s + w.loss * w.size, 0);
  const batchTotal = batches.reduce((s, e, i) => s + e.loss * (i < 6 ? 32 : 8), 0);
  assert.ok(Math.abs(total - batchTotal) < 1e-9 * batchTotal, `${total} vs ${batchTotal}`);
});

Deno.test("trainOn gives the open window, smaller, when the source completes", async () => {
  const windows = windowsOf(await run(samples(120)));
  assert.deepEqual(windows.map((w) => [w.window, w.samples, w.size]), [[1, 50, 50], [2, 100, 50], [
    3,
    120,
    20,
  ]]);
});

Deno.test("ready mini-batches train the same weights and events as single samples", async () => {
  const data = samples(150);
  const a = options(), b = options();
  const one = await lastValueFrom(from(data).pipe(trainOn(a), toArray()));
  const chunks = [];
  for (let i = 0; i < data.length; i += 7) {
    const rows = data.slice(i, i + 7);
    chunks.push({
      x: { data: new Float32Array(rows.flatMap((r) => r.x)), rows: rows.length, cols: 2 },
      y: { data: new Float32Array(rows.flatMap((r) => r.y)), rows: rows.length, cols: 2 },
    });
  }
  const many = await lastValueFrom(from(chunks).pipe(trainOn(b), toArray()));
  assert.deepEqual(many, one);
  assert.equal(weightBytes(b.network), weightBytes(a.network));
});

Deno.test("a sample of the wrong width is a TypeError naming its index and the width expected", async () => {
  const data: OnlineSample[] = [...samples(40), { x: [1, 2, 3], y: [0, 1] }];
  await assert.rejects(run(data), (e: Error) => {
    assert.ok(e instanceof TypeError);
    assert.match(
      e.message,
      /^Invalid sample 40: x has 3 values but the network has 2 inputs; send/,
    );
    return true;
  });
  await assert.rejects(run([{ x: [0, NaN], y: [1, 0] }]), /Invalid sample 0: x\[1\] is NaN/);
});

Deno.test("a string in a sample is a TypeError saying the value must be a number, and a value past float32 a RangeError", async () => {
  const text = { x: [1, "2"], y: [0, 1] } as unknown as OnlineSample;
  await assert.rejects(run([...samples(3), text]), (e: Error) => {
    assert.ok(e instanceof TypeError, String(e));
    assert.match(e.message, /^Invalid sample 3: x\[1\] is "2" \(a string\) but must be a number/);
    return true;
  });
  await assert.rejects(run([{ x: [0.1, 1e39], y: [0, 1] }]), (e: Error) => {
    assert.ok(e instanceof RangeError, String(e));
    assert.match(e.message, /^Invalid sample 0: x\[1\] is 1e\+39, outside the float32 range/);
    return true;
  });
});

Deno.test("a batchSize past 65,536 is a RangeError before any buffer is allocated", () => {
  assert.throws(
    () => onlineLearner(options({ batchSize: 1e9 })),
    /^RangeError: Invalid online options: batchSize: must be at most 65536; e\.g\. batchSize: 32/,
  );
  assert.equal(onlineLearner(options({ batchSize: 65_536 })).steps, 0);
});

Deno.test("a diverging loss is a RangeError naming the step and suggesting a lower learning rate", async () => {
  const network = net({ inputs: 1, layers: [{ units: 1, activation: "identity" }] });
  const rows = Array.from({ length: 64 }, (_, i) => ({ x: [1e4 * (i % 3)], y: [1e4] }));
  const events: OnlineEvent[] = [];
  await assert.rejects(
    lastValueFrom(
      from(rows).pipe(
        trainOn({ network, loss: fakeMse, optimizer: fakeSgd(10), batchSize: 4, window: 8 }),
        filter((e) => e.type === "batch" && Boolean(events.push(e))),
      ),
    ),
    (e: Error) => {
      assert.ok(e instanceof RangeError);
      assert.match(
        e.message,
        /^Training diverged: the loss is (NaN|Infinity) at step \d+; lower the learning rate \(now 10\)/,
      );
      assert.ok(e.message.includes(`at step ${events.length + 1};`), e.message);
      return true;
    },
  );
});

Deno.test("bad options are named with their fix before anything runs", () => {
  assert.throws(() => onlineLearner(options({ window: 0 })), (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.match(
      e.message,
      /^Invalid online options: window: must be at least 1; e\.g\. window: 1000/,
    );
    return true;
  });
  assert.throws(
    () => onlineLearner(options({ overflow: "block" as "error" })),
    /^TypeError: Invalid online options: overflow: must be "error" or "drop-oldest"/,
  );
});

Deno.test("unsubscribing stops training at once and closes the step", async () => {
  let closed = 0;
  const learner = onlineLearner(options({
    createStep: (network, stepOptions) => ({
      ...createTrainStep(network, stepOptions),
      close: () => void closed++,
    }),
  }));
  const firstThree = await lastValueFrom(
    from(samples(3200)).pipe(
      learner.trainOn(),
      filter((e) => e.type === "batch"),
      take(3),
      toArray(),
    ),
  );
  assert.equal(firstThree.length, 3);
  assert.equal(learner.steps, 3); // the source's other 3,104 samples were not trained on
  assert.equal(closed, 1);
  assert.equal(learner.pending, 0);
});

Deno.test("the learner's memory does not grow with the stream: same allocations, at most a batch pending", async () => {
  const count = async (n: number) => {
    let allocs = 0, floats = 0, mostPending = 0;
    const backend = {
      ...tsBackend,
      alloc: (length: number) => (allocs++, floats += length, new Float32Array(length)),
    };
    const learner = onlineLearner(options({ backend }));
    await lastValueFrom(
      from(samples(n)).pipe(
        learner.trainOn(),
        filter(() => (mostPending = Math.max(mostPending, learner.pending), true)),
      ),
    );
    return { allocs, floats, mostPending };
  };
  const short = await count(2_000), long = await count(60_000);
  assert.deepEqual(long, short);
  assert.ok(short.mostPending < 32, `pending ${short.mostPending}`);
  assert.ok(short.allocs > 0); // the step and the batch buffer come from the backend
});

/** A createStep that finishes when `release()` is called: training is paused until then. */
function slowStep() {
  let release!: () => void;
  const ready = new Promise<void>((resolve) => (release = resolve));
  const createStep = async (...args: Parameters<typeof createTrainStep>): Promise<TrainStep> => {
    await ready;
    return createTrainStep(...args);
  };
  return { createStep, release: () => release() };
}

Deno.test("samples that arrive while training is paused wait in a queue of maxQueue: overflow errors by default", async () => {
  const { createStep, release } = slowStep();
  const done = lastValueFrom(
    from(samples(100)).pipe(trainOn(options({ createStep, maxQueue: 64 }))),
  );
  release();
  await assert.rejects(done, (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.match(
      e.message,
      /^Queue overflow: 64 samples \(maxQueue\) wait .*overflow: "drop-oldest"/,
    );
    return true;
  });
});

Deno.test("with overflow drop-oldest a paused learner keeps the newest maxQueue samples and counts the rest", async () => {
  const { createStep, release } = slowStep();
  const learner = onlineLearner(
    options({ createStep, maxQueue: 64, overflow: "drop-oldest", window: 64 }),
  );
  const done = lastValueFrom(from(samples(100)).pipe(learner.trainOn(), toArray()));
  assert.equal(learner.pending, 64);
  release();
  const windows = windowsOf(await done);
  assert.deepEqual(windows.map((w) => [w.samples, w.dropped]), [[64, 36]]);
});

Deno.test("checkpoints every N steps resume a learner bit for bit, and training waits for a save promise", async () => {
  const data = samples(320);
  const straight = options();
  await lastValueFrom(from(data).pipe(trainOn(straight)));
  const saved: Checkpoint[] = [];
  const save = (checkpoint: Checkpoint) =>
    new Promise<void>((resolve) => setTimeout(() => (saved.push(checkpoint), resolve()), 1));
  const saving = onlineLearner(options({ checkpoint: { everySteps: 5, save } }));
  const done = lastValueFrom(from(data).pipe(saving.trainOn()));
  assert.equal(saving.steps, 5); // paused at the first save: the rest of the source waits
  assert.equal(saving.pending, 160);
  await done;
  assert.deepEqual(saved.map((c) => c.step), [5, 10]);
  const resumed = options({ network: net(SPEC, 99), resume: saved[0] });
  const events = await lastValueFrom(from(data.slice(160)).pipe(trainOn(resumed), toArray()));
  assert.equal(events.findLast((e) => e.type === "batch")?.step, 10);
  assert.equal(weightBytes(resumed.network), weightBytes(straight.network));
});

Deno.test("snapshot gives the weights of the last step while the stream runs, and a later stream continues", async () => {
  const learner = onlineLearner(options());
  const network = options().network; // same seed: the weights before any step
  const snapshots: string[] = [];
  const fifth = await firstValueFrom(
    from(samples(400)).pipe(
      learner.trainOn(),
      filter((e) => e.type === "batch" && e.step === 5),
    ),
  );
  assert.equal(fifth.step, 5);
  const file = learner.snapshot({ name: "live" });
  snapshots.push(JSON.stringify(file.weights));
  assert.equal(file.name, "live");
  assert.deepEqual(file.training, { step: 5, samples: 160 });
  assert.notEqual(snapshots[0], JSON.stringify(toModelFile(network).weights));
  await lastValueFrom(from(samples(64)).pipe(learner.trainOn()));
  assert.equal(learner.steps, 7);
});

Deno.test("a learner trains on one stream at a time", async () => {
  const learner = onlineLearner(options());
  const { createStep } = slowStep();
  const paused = onlineLearner(options({ createStep }));
  const first = paused.trainOn()(from(samples(10))).subscribe();
  await assert.rejects(
    lastValueFrom(from(samples(10)).pipe(paused.trainOn())),
    /^TypeError: The learner is already training on a stream: one stream at a time/,
  );
  first.unsubscribe();
  await lastValueFrom(from(samples(32)).pipe(learner.trainOn()));
  assert.equal(learner.steps, 1);
});
