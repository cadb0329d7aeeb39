// Training shares its thread with whatever else the process serves. These tests
// assert that it gives the event loop turns (counted, never timed); how long a
// request waits for its turn is measured in train_responsive_bench.ts.
import assert from "node:assert/strict";
import { fakeMse, fakeSgd } from "../_testing/fakes.ts";
import { net } from "../_testing/train_fakes.ts";
import { inMemory } from "../data/in_memory.ts";
import { train } from "./train.ts";
import { checkOptions, type TrainOptions } from "./train_options.ts";

const rows = 512, inputs = 64;
const x = new Float32Array(rows * inputs).map((_, i) => ((i * 7919) % 1000) / 1000);
const options = (more: Partial<TrainOptions> = {}): TrainOptions => ({
  network: net({ inputs, layers: [{ units: 32, activation: "relu" }, { units: 10 }] }),
  loss: fakeMse,
  optimizer: fakeSgd(0.001),
  data: inMemory({ x, y: new Float32Array(rows * 10), inputs, outputs: 10 }),
  // 16,000 steps, about 4 s of work: far more than runs between the answers (about 500),
  // yet a trainer that never yielded would end, failing the test rather than hanging it.
  epochs: 1000,
  batchSize: 32,
  ...more,
});

Deno.test("with yieldEveryMs 0, a timer armed in one batch event runs before the next batch", async () => {
  let armed = 0, fired = 0;
  const late: number[] = []; // batches that came before the timer armed in the one before
  await new Promise<void>((resolve, reject) => {
    const sub = train(options({ yieldEveryMs: 0 })).subscribe({
      next(e) {
        if (e.type !== "batch") return;
        if (fired < armed) late.push(e.step);
        if (e.step === 100) return sub.unsubscribe(), resolve();
        armed++;
        setTimeout(() => fired++, 0);
      },
      error: reject,
    });
  });
  assert.deepEqual(late, []);
  assert.equal(fired, armed);
});

Deno.test("a server in the same process answers every request while training keeps going", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("ok"),
  );
  let steps = 0, ended = false;
  // The time budget nagare's server gives the runs it trains in its own thread (25 ms), on
  // the real clock: slow machines only change how many steps run between answers, not
  // whether the answers come.
  const sub = train(options({ yieldEveryMs: 25 })).subscribe({
    next: (e) => void (e.type === "batch" && steps++),
    complete: () => void (ended = true),
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}/`;
    const stepsAt: number[] = [];
    for (let i = 0; i < 15; i++) {
      assert.equal(await (await fetch(url)).text(), "ok");
      stepsAt.push(steps);
    }
    assert.equal(ended, false, "training was still running when the last answer came");
    assert.ok(stepsAt[14] > stepsAt[0], `training kept going: steps at each answer ${stepsAt}`);
  } finally {
    sub.unsubscribe();
    await server.shutdown();
  }
});

Deno.test("train() turns every 100 ms of work unless told otherwise, and refuses a negative budget", () => {
  assert.equal(checkOptions(options()).yieldEveryMs, 100);
  assert.equal(checkOptions(options({ yieldEveryMs: 25 })).yieldEveryMs, 25);
  assert.throws(
    () => checkOptions(options({ yieldEveryMs: -1 })),
    /yieldEveryMs: -1 must be 0 or more/,
  );
});
