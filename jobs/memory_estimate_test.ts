import assert from "node:assert/strict";
import { adam, momentum, sgd } from "../plugins/optimizers/mod.ts";
import { dataBytes, estimateRunMemory, formatMemory, parameterCount } from "./memory_estimate.ts";

Deno.test("parameterCount counts each layer's weights and biases", () => {
  assert.equal(parameterCount(2, [{ units: 3 }, { units: 1 }]), 2 * 3 + 3 + 3 * 1 + 1);
  assert.equal(parameterCount(784, [{ units: 128 }, { units: 64 }, { units: 10 }]), 109_386);
});

Deno.test("a 2-3-1 network with adam at batch 4 needs 772 bytes, counted by hand", () => {
  // P = 13 parameters, U = 4 units: weights and their statistics copy 2P, gradients P,
  // adam's two slots 2P, the batch 4 rows x (4 buffers x 4 units + 2 inputs + 1 output),
  // all float32, and the model file's texts 16 bytes per parameter.
  const m = estimateRunMemory({ layers: [{ units: 3 }, { units: 1 }], batchSize: 4 }, {
    inputs: 2,
    slots: adam().slots,
  });
  assert.deepEqual(m, {
    weights: 4 * 26,
    gradients: 4 * 13,
    optimizer: 4 * 26,
    batch: 4 * 4 * 19,
    data: 0,
    workers: 0,
    model: 16 * 13,
    total: 772,
  });
});

Deno.test("validation, a test set, the data and a second thread each add their share", () => {
  // 4 inputs -> 8 -> 3: P = 40 + 27 = 67, U = 11; momentum keeps one slot.
  const m = estimateRunMemory({ layers: [{ units: 8 }, { units: 3 }], batchSize: 10 }, {
    inputs: 4,
    slots: momentum().slots,
    dataBytes: 4200,
    threads: 2,
    validation: true,
    test: true,
  });
  assert.deepEqual(m, {
    weights: 4 * 2 * 67,
    gradients: 4 * 2 * 67, // the test evaluation's step has gradients of its own
    optimizer: 4 * 67,
    // 10 rows x (44 + two batches of 7 values) + 500 test rows x 44
    batch: 4 * (10 * (44 + 14) + 500 * 44),
    data: 4200,
    workers: 4 * 3 * 67 * 2,
    model: 16 * 67,
    total: 536 + 536 + 268 + 90_320 + 4200 + 1608 + 1072,
  });
});

Deno.test("the optimizer's share is its plugin's slots per parameter: adam 2, momentum 1, sgd 0", () => {
  const run = { layers: [{ units: 10 }], batchSize: 1 };
  const share = (slots: number) => estimateRunMemory(run, { inputs: 9, slots }).optimizer;
  assert.equal(share(adam().slots), 2 * 100 * 4);
  assert.equal(share(momentum().slots), 100 * 4);
  assert.equal(share(sgd().slots), 0);
});

Deno.test("data bytes: built-in rows as float32, a csv's cache bounded by its file, ndjson streamed", () => {
  assert.equal(dataBytes("iris"), 150 * (4 + 3) * 4);
  assert.equal(dataBytes("mnist"), 10_000 * (784 + 10) * 4);
  assert.equal(dataBytes({ csv: "a.csv" }, 1000), 4000);
  assert.equal(dataBytes({ csv: "a.csv" }, 1 << 30), 64 << 20);
  assert.equal(dataBytes({ csv: "a.csv" }), 64 << 20, "an unknown size counts the whole cache");
  assert.equal(dataBytes({ ndjson: "a.ndjson" }, 1 << 30), 0);
});

Deno.test("formatMemory rounds each part up to MiB and leaves out empty parts", () => {
  const MiB = 2 ** 20;
  assert.equal(
    formatMemory({
      weights: 2046 * MiB,
      gradients: 1023 * MiB + 1,
      optimizer: 0,
      batch: 10,
      data: 0,
      workers: 0,
      model: 0,
      total: 3069 * MiB + 11,
    }),
    "about 3,070 MiB (weights 2,046, gradients 1,024, batch 1)",
  );
});
