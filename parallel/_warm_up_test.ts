// Warm-ups run on fake clocks here, so that a busy machine changes nothing;
// how long they take on a real one is measured in _warm_up_bench.ts.
import assert from "node:assert/strict";
import { cutDown, type WarmUp, warmUp } from "./_warm_up.ts";
import { flag, mnistLike } from "./_testing/warm_ups.ts";

/** A clock that moves on `msPerRead` each time the warm-up looks at it. */
const ticking = (msPerRead: number) => {
  let ms = 0;
  return () => (ms += msPerRead);
};
const standingStill = () => 0;
const tiny: Omit<WarmUp, "backend"> = {
  ...mnistLike,
  spec: {
    inputs: 4,
    layers: [{ units: 8, activation: "relu" }, { units: 3, activation: "softmax" }],
  },
  batchSize: 8,
};
const wide = {
  inputs: 4096,
  layers: [{ units: 4096, activation: "relu" }, { units: 10, activation: "softmax" }],
};

for (const backend of ["wasm-simd", "ts"]) {
  Deno.test(`a warm-up runs the step code until 60 ms have passed on its clock (${backend})`, async () => {
    // 10 ms a look: the budget is spent after 6 looks, whatever the machine's speed.
    const steps = await warmUp({ ...mnistLike, backend }, flag(), { now: ticking(10) });
    assert.ok(steps > 0 && steps <= 6, `${steps} warm-up steps`);
  });
}

Deno.test("a warm-up stops after 200 steps even if its clock stands still", async () => {
  assert.equal(await warmUp({ ...tiny, backend: "ts" }, flag(), { now: standingStill }), 200);
});

Deno.test("a warm-up stops after its current step once its run takes the worker", async () => {
  const stop = flag();
  let looks = 0;
  const now = () => { // the run takes the worker while the warm-up is under way
    if (++looks === 10) Atomics.store(stop, 0, 1);
    return 0;
  };
  const steps = await warmUp({ ...tiny, backend: "ts" }, stop, { now });
  assert.ok(steps > 0 && steps < 10, `${steps} warm-up steps`);
});

Deno.test("a warm-up cuts a wide network down to 256 units and 64 rows, and runs it", async () => {
  assert.deepEqual(cutDown({ spec: wide, batchSize: 512 }), {
    spec: {
      inputs: 256,
      layers: [{ units: 256, activation: "relu" }, { units: 10, activation: "softmax" }],
    },
    batchSize: 64,
  });
  assert.equal(cutDown(mnistLike).batchSize, 64);
  assert.deepEqual(cutDown({ spec: tiny.spec, batchSize: 8 }), { spec: tiny.spec, batchSize: 8 });
  const steps = await warmUp(
    { ...mnistLike, spec: wide, batchSize: 512, backend: "wasm-simd" },
    flag(),
    { now: ticking(10) },
  );
  assert.ok(steps > 0, `${steps} warm-up steps`);
});

Deno.test("a warm-up whose run has started, or that cannot be built, runs nothing and says nothing", async () => {
  const clock = { now: standingStill };
  assert.equal(
    await warmUp({ ...mnistLike, spec: wide, backend: "wasm-simd" }, flag(true), clock),
    0,
  );
  assert.equal(
    await warmUp({ ...mnistLike, backend: "ts", optimizer: "no-such-optimizer" }, flag(), clock),
    0,
  );
  assert.equal(await warmUp({ ...mnistLike, backend: "webgpu" }, flag(), clock), 0);
});
