import assert from "node:assert/strict";
import { createRng } from "./rng.ts";

Deno.test("rng gives the same sequence for the same seed", () => {
  const a = createRng(42), b = createRng(42);
  for (let i = 0; i < 100; i++) assert.equal(a.nextU32(), b.nextU32());
});

Deno.test("rng gives different sequences for different seeds", () => {
  const a = createRng(1), b = createRng(2);
  const same = Array.from({ length: 20 }, () => a.nextU32() === b.nextU32()).filter(Boolean);
  assert.ok(same.length < 2);
});

Deno.test("rng resumes exactly from a saved state", () => {
  const a = createRng(7);
  for (let i = 0; i < 13; i++) a.float();
  const b = createRng(a.state());
  for (let i = 0; i < 50; i++) assert.equal(a.float(), b.float());
});

Deno.test("rng floats are uniform in [0, 1) and normals have unit variance", () => {
  const rng = createRng(3);
  let sum = 0, sq = 0, min = 1, max = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const u = rng.float();
    min = Math.min(min, u);
    max = Math.max(max, u);
    const z = rng.normal();
    sum += z;
    sq += z * z;
  }
  assert.ok(min >= 0 && max < 1);
  assert.ok(Math.abs(sum / n) < 0.05, `mean ${sum / n}`);
  assert.ok(Math.abs(sq / n - 1) < 0.05, `variance ${sq / n}`);
});

Deno.test("rng shuffle is a seeded permutation", () => {
  const a = createRng(5).shuffle([...Array(10).keys()]);
  const b = createRng(5).shuffle([...Array(10).keys()]);
  assert.deepEqual(a, b);
  assert.deepEqual([...a].sort((x, y) => x - y), [...Array(10).keys()]);
  assert.notDeepEqual(a, [...Array(10).keys()]);
});

Deno.test("rng rejects a seed that is not a finite number", () => {
  assert.throws(() => createRng(NaN), { name: "RangeError", message: /Invalid seed: NaN/ });
});

Deno.test("the stream is pinned: seeds and saved states give the same words as before (checkpoints resume alike)", () => {
  const a = createRng(42);
  assert.deepEqual(
    Array.from({ length: 6 }, () => a.nextU32()),
    [2837322924, 544945897, 479756282, 3500138142, 339756180, 113173290],
  );
  assert.deepEqual(a.state(), [679431238, 1949896667, 1352712987, 4116562469]);
  // Words above 2^31 in a saved state (stored as unsigned) continue the same stream.
  const b = createRng([0xffffffff, 0x80000000, 12345, 0x7fffffff]);
  assert.deepEqual(
    Array.from({ length: 5 }, () => b.nextU32()),
    [576, 4223854903, 576, 2050091392, 3970630875],
  );
  assert.deepEqual(b.state(), [2378166147, 3473278517, 1300203532, 4079111185]);
});
