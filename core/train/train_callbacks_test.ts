import assert from "node:assert/strict";
import { lastValueFrom, tap, toArray } from "rxjs";
import { fakeMse, fakeSgd } from "../_testing/fakes.ts";
import { blobs, net, weightBytes } from "../_testing/train_fakes.ts";
import { type Checkpoint, parseCheckpoint } from "../model/checkpoint.ts";
import { fromArrays } from "../data/from_arrays.ts";
import { stepDecay } from "./schedules/step_decay.ts";
import { reduceOnPlateau } from "./schedules/reduce_on_plateau.ts";
import { train, type TrainOptions } from "./train.ts";
import type { EpochEvent, TrainEvent } from "./train_events.ts";
import { createTrainStep, type RunOptions, type TrainStep } from "../math/train_step.ts";
import type { Batch } from "../math/types.ts";
import type { OptimizerPlugin } from "../math/types.ts";

const run = (o: TrainOptions): Promise<TrainEvent[]> => lastValueFrom(train(o).pipe(toArray()));
const epochsOf = (events: TrainEvent[]) =>
  events.filter((e): e is EpochEvent => e.type === "epoch");
/** Gradient ascent: the loss grows every epoch, so the first epoch is the best. */
const ascent = (lr: number): OptimizerPlugin => ({
  ...fakeSgd(lr),
  name: "ascent",
  update(p, g, _s, ctx) {
    for (let i = 0; i < p.length; i++) p[i] += ctx.lr * g[i];
  },
});
const { x, y } = blobs(32);
const base = () => ({
  network: net({ inputs: 2, layers: [{ units: 3, activation: "tanh" }, { units: 1 }] }),
  loss: fakeMse,
  data: fromArrays(x, y),
  batchSize: 8,
});

Deno.test("early stopping stops after `patience` epochs without improvement and restores the best weights", async () => {
  const o = {
    ...base(),
    optimizer: ascent(0.01),
    epochs: 20,
    earlyStopping: { patience: 2, monitor: "loss" as const },
  };
  let best = "";
  const events = await lastValueFrom(
    train(o).pipe(
      tap((e) => e.type === "epoch" && e.epoch === 1 && (best = weightBytes(o.network))),
      toArray(),
    ),
  );
  const end = events.at(-1)!;
  assert.deepEqual({ ...end, elapsedMs: 0 }, {
    type: "end",
    reason: "early-stopped",
    epochs: 3,
    steps: 12,
    bestEpoch: 1,
    elapsedMs: 0,
  });
  assert.equal(weightBytes(o.network), best);
});

Deno.test("early stopping restores the best weights when the subscriber unsubscribes", () => {
  const o = { ...base(), optimizer: ascent(0.01), epochs: 20, earlyStopping: { patience: 10 } };
  let best = "";
  const sub = train({ ...o, validationSplit: 0.25 }).subscribe((e) => {
    if (e.type === "epoch" && e.epoch === 1) best = weightBytes(o.network);
    if (e.type === "epoch" && e.epoch === 3) sub.unsubscribe();
  });
  return new Promise<void>((resolve) =>
    sub.add(() => {
      assert.equal(weightBytes(o.network), best, "restored synchronously on unsubscribe");
      resolve();
    })
  );
});

Deno.test("a diverging loss ends training with an error naming the epoch and batch", async () => {
  const o = {
    ...base(),
    optimizer: fakeSgd(1e6),
    epochs: 50,
    earlyStopping: { patience: 50, monitor: "loss" as const },
  };
  let best = "";
  const failed = lastValueFrom(
    train(o).pipe(
      tap((e) => e.type === "epoch" && e.epoch === 1 && (best = weightBytes(o.network))),
    ),
  );
  await assert.rejects(failed, {
    name: "RangeError",
    message:
      /^Training diverged: the loss is (NaN|Infinity) at epoch \d+, batch \d+; lower the learning rate \(now 1000000\) or normalize the inputs/,
  });
  assert.equal(weightBytes(o.network), best, "the best weights are back after the error");
});

Deno.test("a schedule sets each epoch's learning rate, also on batch events", async () => {
  const events = await run({
    ...base(),
    optimizer: fakeSgd(0.4),
    epochs: 4,
    schedule: stepDecay({ every: 2, gamma: 0.5 }),
  });
  assert.deepEqual(epochsOf(events).map((e) => e.lr), [0.4, 0.4, 0.2, 0.2]);
  const batches = events.filter((e) => e.type === "batch");
  assert.ok(batches.every((b) => b.lr === (b.epoch <= 2 ? 0.4 : 0.2)));
});

Deno.test("a custom step may keep the options it was given and use `this` in its methods", async () => {
  /** Wraps the default step as a class: `stats` reads `this`, `run` keeps every options object. */
  class KeepingStep {
    readonly kept: RunOptions[] = [];
    constructor(readonly inner: TrainStep) {}
    get network() {
      return this.inner.network;
    }
    get batchSize() {
      return this.inner.batchSize;
    }
    get state() {
      return this.inner.state;
    }
    get grads() {
      return this.inner.grads;
    }
    get lastCorrect() {
      return this.inner.lastCorrect;
    }
    run(batch: Batch, options?: RunOptions) {
      this.kept.push(options!);
      return this.inner.run(batch, options);
    }
    evaluate(batch: Batch) {
      return this.inner.evaluate(batch);
    }
    stats() {
      return this.inner.stats();
    }
  }
  let step: KeepingStep | undefined;
  const events = await run({
    ...base(),
    optimizer: fakeSgd(0.4),
    epochs: 4,
    schedule: stepDecay({ every: 2, gamma: 0.5 }),
    createStep: (network, options) => (step = new KeepingStep(createTrainStep(network, options))),
  });
  assert.equal(epochsOf(events).length, 4);
  const batches = events.filter((e) => e.type === "batch");
  assert.equal(step!.kept.length, batches.length);
  // Each options object still holds the rate of the step it was given to.
  step!.kept.forEach((options, i) => assert.equal(options.lr, batches[i].lr));
  assert.deepEqual([...new Set(step!.kept.map((o) => o.lr))], [0.4, 0.2]);
});

Deno.test("the lr option is the run's rate: the optimizer's own lr is only its default", async () => {
  const events = await run({ ...base(), optimizer: fakeSgd(0.4), lr: 0.05, epochs: 2 });
  assert.ok(events.filter((e) => e.type === "batch").every((b) => b.lr === 0.05));
  await assert.rejects(run({ ...base(), optimizer: fakeSgd(0.4), lr: -1, epochs: 1 }), {
    name: "RangeError",
    message: "Invalid lr: -1 must be a finite number, 0 or more",
  });
});

Deno.test("train() checks batchSize and l2 itself, whatever builds the step", async () => {
  const custom = { createStep: createTrainStep };
  await assert.rejects(
    run({ ...base(), ...custom, optimizer: fakeSgd(0.1), epochs: 1, batchSize: 0 }),
    {
      name: "RangeError",
      message: "Invalid batchSize: 0 must be a whole number of at least 1",
    },
  );
  await assert.rejects(run({ ...base(), optimizer: fakeSgd(0.1), epochs: 1, l2: -1 }), {
    message: "Invalid l2: -1 must be a finite number, 0 or more",
  });
});

Deno.test("a rate of 0 is a rate like any other: the step gets lr 0, the weights stay", async () => {
  const o = { ...base(), optimizer: fakeSgd(0), epochs: 3 };
  const before = weightBytes(o.network);
  const events = await run(o);
  assert.ok(events.filter((e) => e.type === "batch").every((b) => b.lr === 0));
  assert.equal(weightBytes(o.network), before);
});

Deno.test("reduceOnPlateau lowers the rate once the loss stalls", async () => {
  const events = await run({
    ...base(),
    optimizer: ascent(0.01),
    epochs: 5,
    schedule: reduceOnPlateau({ factor: 0.5, patience: 2 }),
  });
  assert.deepEqual(epochsOf(events).map((e) => e.lr), [0.01, 0.01, 0.01, 0.005, 0.005]);
});

Deno.test("checkpoints are saved every N epochs as plain JSON, and training waits for the writer", async () => {
  const saved: Checkpoint[] = [];
  const order: string[] = [];
  const events = await lastValueFrom(
    train({
      ...base(),
      optimizer: fakeSgd(0.1),
      epochs: 5,
      checkpoint: {
        every: 2,
        save: async (c) => {
          await new Promise((r) => setTimeout(r, 5));
          saved.push(parseCheckpoint(JSON.stringify(c)));
          order.push(`saved ${c.epoch}`);
        },
      },
    }).pipe(tap((e) => e.type === "epoch" && order.push(`epoch ${e.epoch}`)), toArray()),
  );
  assert.deepEqual(saved.map((c) => [c.epoch, c.step]), [[2, 8], [4, 16]]);
  assert.deepEqual(order, [
    "epoch 1",
    "epoch 2",
    "saved 2",
    "epoch 3",
    "epoch 4",
    "saved 4",
    "epoch 5",
  ]);
  assert.equal(saved[0].config.batchSize, 8);
  assert.equal(events.at(-1)!.type, "end");
});

Deno.test("a failing checkpoint writer fails the training", async () => {
  const save = () => Promise.reject(new Error("disk full"));
  await assert.rejects(
    run({ ...base(), optimizer: fakeSgd(0.1), epochs: 3, checkpoint: { every: 1, save } }),
    {
      message: "disk full",
    },
  );
});
