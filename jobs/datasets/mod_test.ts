import assert from "node:assert/strict";
import {
  BUILTIN_DATASETS,
  BUILTIN_INPUTS,
  BUILTIN_ROWS,
  loadBuiltin,
  loadIris,
  loadSine,
  loadXor,
} from "./mod.ts";

Deno.test("iris splits 120/30 with 10 test flowers per class, standardized", async () => {
  const { train, test } = await loadIris(42);
  assert.equal(train.rows, 120);
  assert.equal(test?.rows, 30);
  for (let k = 0; k < 3; k++) {
    let count = 0;
    for (let i = 0; i < 30; i++) count += test!.y[i * 3 + k];
    assert.equal(count, 10);
  }
  let mean = 0;
  for (let i = 0; i < 120; i++) mean += train.x[i * 4] / 120;
  assert.ok(Math.abs(mean) < 1e-5, `first feature mean ${mean}`);
});

Deno.test("iris split depends on the seed and only on it", async () => {
  const a = await loadIris(1), b = await loadIris(1), c = await loadIris(2);
  assert.deepEqual(a.test!.x, b.test!.x);
  assert.notDeepEqual(a.test!.x, c.test!.x);
});

Deno.test("sine samples lie on sin(x) within [-pi, pi] and are seeded", () => {
  const a = loadSine({ seed: 3 }), b = loadSine({ seed: 3 });
  assert.deepEqual(a.train.x, b.train.x);
  for (let i = 0; i < a.train.rows; i++) {
    assert.ok(Math.abs(a.train.x[i]) <= Math.PI + 1e-6);
    assert.ok(Math.abs(a.train.y[i] - Math.sin(a.train.x[i])) < 1e-6);
  }
});

Deno.test("xor has the four truth-table rows", async () => {
  assert.deepEqual(Array.from(loadXor().train.y), [0, 1, 1, 0]);
  assert.equal((await loadBuiltin("xor")).train.inputs, 2);
});

Deno.test("BUILTIN_INPUTS, known before loading, is each data set's width as loaded", async () => {
  for (const name of BUILTIN_DATASETS) {
    assert.equal((await loadBuiltin(name)).train.inputs, BUILTIN_INPUTS[name], name);
  }
});

Deno.test("BUILTIN_ROWS, known before loading, is each data set's training and test rows", async () => {
  for (const name of BUILTIN_DATASETS) {
    const set = await loadBuiltin(name);
    assert.equal(set.train.rows + (set.test?.rows ?? 0), BUILTIN_ROWS[name], name);
  }
});
