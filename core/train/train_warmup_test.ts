import assert from "node:assert/strict";
import { lastValueFrom, toArray } from "rxjs";
import { fakeMse, fakeSgd } from "../_testing/fakes.ts";
import { blobs, net } from "../_testing/train_fakes.ts";
import { fromArrays } from "../data/from_arrays.ts";
import { stepDecay } from "./schedules/step_decay.ts";
import { train, type TrainOptions } from "./train.ts";
import type { BatchEvent, EpochEvent, TrainEvent } from "./train_events.ts";

const { x, y } = blobs(24);
const setup = (extra: Partial<TrainOptions>): TrainOptions => ({
  network: net({ inputs: 2, layers: [{ units: 3, activation: "tanh" }, { units: 1 }] }),
  loss: fakeMse,
  optimizer: fakeSgd(0.1),
  data: fromArrays(x, y),
  batchSize: 8, // 3 steps an epoch
  epochs: 3,
  ...extra,
});
const run = (o: TrainOptions): Promise<TrainEvent[]> => lastValueFrom(train(o).pipe(toArray()));
const rates = (events: TrainEvent[], type: "batch" | "epoch") =>
  events.filter((e): e is BatchEvent | EpochEvent => e.type === type).map((e) => e.lr);
const near = (got: number[], want: number[]) => {
  assert.equal(got.length, want.length);
  got.forEach((g, i) =>
    assert.ok(Math.abs(g - want[i]) < 1e-12, `step ${i + 1}: ${g} vs ${want[i]}`)
  );
};

Deno.test("warm-up raises the learning rate linearly over the first steps, across epochs", async () => {
  const events = await run(setup({ warmupSteps: 4 }));
  near(rates(events, "batch"), [0.025, 0.05, 0.075, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
  // An epoch reports the rate of its last step.
  near(rates(events, "epoch"), [0.075, 0.1, 0.1]);
});

Deno.test("warm-up scales the schedule's rate and changes the weights it reaches", async () => {
  const events = await run(
    setup({ warmupSteps: 6, schedule: stepDecay({ every: 2, gamma: 0.5 }) }),
  );
  near(rates(events, "batch"), [0.1 / 6, 0.2 / 6, 0.05, 0.4 / 6, 0.5 / 6, 0.1, 0.05, 0.05, 0.05]);
  const plain = setup({});
  const warmed = setup({ warmupSteps: 6 });
  await run(plain);
  await run(warmed);
  assert.notDeepEqual(warmed.network.layers[0].weights, plain.network.layers[0].weights);
});

Deno.test("warmupSteps 0 is no warm-up", async () => {
  near(rates(await run(setup({ warmupSteps: 0 })), "batch"), Array(9).fill(0.1));
});

Deno.test("a bad warmupSteps is refused with the fix", async () => {
  for (const bad of [-1, 2.5, NaN]) {
    await assert.rejects(run(setup({ warmupSteps: bad })), {
      name: "RangeError",
      message: `Invalid warmupSteps: ${bad} must be a whole number of steps, 0 or more`,
    });
  }
});
