import assert from "node:assert/strict";
import { tsBackend } from "../core/math/kernels.ts";
import { createWasmBackend } from "../core/wasm/wasm_backend.ts";
import { allocateShared, layoutOf, rowCount, rowStart } from "./_layout.ts";
import { firstLayer, shareDelta } from "./_first_layer.ts";

const INPUTS = 11, UNITS = 6, BATCH = 9;

function setup() {
  const sizes = {
    tensors: [INPUTS * UNITS, UNITS, UNITS * 2, 2],
    slots: 2,
    threads: 2,
    batchSize: BATCH,
    inputs: INPUTS,
    outputs: 2,
  };
  const layout = layoutOf(sizes, allocateShared(sizes));
  const counts = [5, 4]; // uneven rows: shares 5/9 and 4/9 of the batch mean
  layout.control[rowStart(0)] = 0, layout.control[rowCount(0)] = counts[0];
  layout.control[rowStart(1)] = counts[0], layout.control[rowCount(1)] = counts[1];
  layout.x.forEach((_, i, x) => (x[i] = Math.sin(i) / 2));
  layout.params[0].forEach((_, i, w) => (w[i] = Math.cos(i) / 4));
  // Each thread's dL/dz is the mean over its own rows; the shares make it the batch mean.
  const own = [new Float32Array(counts[0] * UNITS), new Float32Array(counts[1] * UNITS)];
  own.forEach((d) => d.forEach((_, i) => (d[i] = Math.sin(3 * i + d.length) / 3)));
  shareDelta(layout, own[0], 0, counts[0]);
  shareDelta(layout, own[1], counts[0], counts[1]);
  return { layout, own, counts };
}

Deno.test("shareDelta scales each thread's rows by its share of the batch", () => {
  const { layout, own, counts } = setup();
  for (let i = 0; i < counts[1] * UNITS; i++) {
    assert.equal(layout.delta[counts[0] * UNITS + i], Math.fround(4 / 9 * own[1][i]));
  }
});

for (const [name, backend] of [["ts", tsBackend], ["wasm, copies", createWasmBackend()]] as const) {
  Deno.test(`first-layer blocks give Xᵀ·delta + λW and the bias sums (${name})`, () => {
    const { layout } = setup();
    const l2 = 0.01, first = firstLayer(layout, backend, false, l2);
    first.prepare();
    for (const [r0, r1] of [[0, 4], [4, 5], [5, INPUTS]]) first.rows(r0, r1);
    first.bias();
    for (let i = 0; i < INPUTS; i++) {
      for (let j = 0; j < UNITS; j++) {
        let want = l2 * layout.params[0][i * UNITS + j];
        for (let r = 0; r < BATCH; r++) {
          want += layout.x[r * INPUTS + i] * layout.delta[r * UNITS + j];
        }
        assert.ok(Math.abs(layout.reduced[0][i * UNITS + j] - want) < 1e-6, `dW[${i}][${j}]`);
      }
    }
    for (let j = 0; j < UNITS; j++) {
      let want = 0;
      for (let r = 0; r < BATCH; r++) want += layout.delta[r * UNITS + j];
      assert.ok(Math.abs(layout.reduced[1][j] - want) < 1e-6, `db[${j}]`);
    }
  });
}
