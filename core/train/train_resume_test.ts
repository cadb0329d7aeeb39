import assert from "node:assert/strict";
import { lastValueFrom, toArray } from "rxjs";
import { fakeMse } from "../_testing/fakes.ts";
import { blobs, fakeMomentum, net, weightBytes } from "../_testing/train_fakes.ts";
import { type Checkpoint, parseCheckpoint } from "../model/checkpoint.ts";
import { fromArrays } from "../data/from_arrays.ts";
import { fromIterable } from "../data/from_iterable.ts";
import { standardize } from "../data/standardize.ts";
import { reduceOnPlateau } from "./schedules/reduce_on_plateau.ts";
import { train, type TrainOptions } from "./train.ts";
import type { EpochEvent, TrainEvent } from "./train_events.ts";

type Setup = Omit<TrainOptions, "network" | "checkpoint" | "resume">;
const spec = { inputs: 2, layers: [{ units: 6, activation: "tanh" }, { units: 1 }] };
const losses = (events: TrainEvent[]) =>
  events.filter((e): e is EpochEvent => e.type === "epoch").map((
    e,
  ) => [e.epoch, e.loss, e.valLoss]);

/** Trains `setup` straight through, then again interrupted after epoch `at` and resumed from its checkpoint. */
async function straightAndResumed(setup: Setup, at: number) {
  const straight = net(spec, 1);
  const all = await lastValueFrom(train({ ...setup, network: straight }).pipe(toArray()));

  let saved: Checkpoint | undefined;
  await new Promise<void>((resolve, reject) => {
    const sub = train({
      ...setup,
      network: net(spec, 1),
      checkpoint: {
        every: at,
        save: (c) => {
          saved = parseCheckpoint(JSON.stringify(c)); // through JSON, as a file would
          sub.unsubscribe();
          resolve();
        },
      },
    }).subscribe({ error: reject });
  });
  const resumed = net(spec, 99); // other initial weights: the checkpoint replaces them
  const rest = await lastValueFrom(
    train({ ...setup, network: resumed, resume: saved }).pipe(toArray()),
  );
  return { straight, resumed, all, rest };
}

Deno.test("resuming in-memory training from a checkpoint ends with byte-identical weights", async () => {
  const { x, y } = blobs(90);
  const { straight, resumed, all, rest } = await straightAndResumed({
    loss: fakeMse,
    optimizer: fakeMomentum(0.05),
    data: fromArrays(x, y),
    validationSplit: 0.2,
    prepare: [standardize()],
    schedule: reduceOnPlateau({ factor: 0.5, patience: 1 }),
    earlyStopping: { patience: 50 },
    warmupSteps: 20, // 5 steps an epoch: the warm-up runs on past the checkpoint
    epochs: 6,
    batchSize: 16,
    seed: 11,
  }, 3);
  assert.equal(weightBytes(resumed), weightBytes(straight));
  assert.deepEqual(losses(rest), losses(all).slice(3));
  assert.deepEqual(rest[0], {
    type: "start",
    epochs: 6,
    fromEpoch: 4,
    samples: 72,
    batchSize: 16,
    prepared: (all[0] as { prepared: unknown }).prepared,
  });
  const end = rest.at(-1) as Extract<TrainEvent, { type: "end" }>;
  assert.equal(end.steps, (all.at(-1) as typeof end).steps);
});

Deno.test("resuming streamed training continues the shuffle buffer's random stream exactly", async () => {
  const { x, y } = blobs(70);
  const samples = x.map((xi, i) => ({ x: xi, y: [y[i]] }));
  const { straight, resumed, all, rest } = await straightAndResumed({
    loss: fakeMse,
    optimizer: fakeMomentum(0.05),
    data: fromIterable(() => samples.values()),
    validation: fromIterable(samples.slice(0, 10)),
    prepare: [standardize()],
    shuffle: { buffer: 16 },
    epochs: 5,
    batchSize: 8,
  }, 2);
  assert.equal(weightBytes(resumed), weightBytes(straight));
  assert.deepEqual(losses(rest), losses(all).slice(2));
  assert.equal(
    (rest[0] as { samples?: number }).samples,
    70,
    "samples per epoch learned before the checkpoint",
  );
});

Deno.test("a checkpoint that does not fit the network is refused before any change", async () => {
  const { x, y } = blobs(8);
  let saved: Checkpoint | undefined;
  const setup = {
    loss: fakeMse,
    optimizer: fakeMomentum(0.1),
    data: fromArrays(x, y),
    epochs: 1,
    batchSize: 4,
  };
  await lastValueFrom(
    train({
      ...setup,
      network: net(spec),
      checkpoint: { every: 1, save: (c) => void (saved = c) },
    }),
  );
  const other = net({ inputs: 2, layers: [{ units: 5, activation: "tanh" }, { units: 1 }] });
  const before = weightBytes(other);
  await assert.rejects(
    lastValueFrom(train({ ...setup, network: other, resume: saved, epochs: 2 })),
    {
      name: "RangeError",
      message:
        /Checkpoint does not fit the network: model.weights tensor 0 has 12 values but the network needs 10/,
    },
  );
  assert.equal(weightBytes(other), before);
  await assert.rejects(
    lastValueFrom(
      train({
        ...setup,
        optimizer: { ...fakeMomentum(0.1), name: "adam" },
        network: net(spec),
        resume: saved,
      }),
    ),
    { name: "TypeError", message: /saved with "momentum" but training uses "adam"/ },
  );
});
