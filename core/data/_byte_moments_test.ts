import assert from "node:assert/strict";
import { createRng } from "../math/rng.ts";
import { byteMoments, mergeByteMoments } from "./_byte_moments.ts";

/** Welford's update over `values`, as the fit runs it on other numbers. */
function welford(values: readonly number[]): { n: number; mean: number; m2: number } {
  const m = { n: 0, mean: 0, m2: 0 };
  for (const x of values) {
    const d = x - m.mean;
    m.mean += d / ++m.n;
    m.m2 += d * (x - m.mean);
  }
  return m;
}

Deno.test("byte moments give the exact mean and squared deviations of whole numbers 0..255", () => {
  const bytes = byteMoments(2);
  for (const x of [1, 2, 3]) bytes.rows++, bytes.sums[0] += x, bytes.sums[1] += x * x;
  bytes.other[1] = 3; // column 1 had no bytes
  const into = { n: 0, mean: 0, m2: 0 };
  assert.equal(mergeByteMoments(bytes, 0, into), 3);
  assert.deepEqual(into, { n: 3, mean: 2, m2: 2 });
  assert.equal(mergeByteMoments(bytes, 0, into), 0); // merged once: cleared
  assert.deepEqual(into, { n: 3, mean: 2, m2: 2 });
  const none = { n: 0, mean: 0, m2: 0 };
  assert.equal(mergeByteMoments(bytes, 1, none), 0);
  assert.deepEqual(none, { n: 0, mean: 0, m2: 0 });
});

Deno.test("byte moments merged with Welford's over the other values match Welford's over all", () => {
  const rng = createRng(5);
  const pixels = Array.from({ length: 50_000 }, () => rng.int(256));
  const others = Array.from({ length: 777 }, () => 1000 + rng.int(100_000) / 7);
  const bytes = byteMoments(1);
  for (const x of pixels) bytes.rows++, bytes.sums[0] += x, bytes.sums[1] += x * x;
  bytes.rows += others.length, bytes.other[0] = others.length;
  const merged = welford(others);
  assert.equal(mergeByteMoments(bytes, 0, merged), pixels.length);
  const all = welford([...pixels, ...others]);
  assert.equal(merged.n, all.n);
  assert.ok(Math.abs(merged.mean - all.mean) <= 1e-12 * Math.abs(all.mean));
  assert.ok(Math.abs(merged.m2 - all.m2) <= 1e-10 * all.m2);
  // Bytes alone: exactly the mean, and the squared deviations from BigInt sums.
  const alone = { n: 0, mean: 0, m2: 0 }, again = byteMoments(1);
  for (const x of pixels) again.rows++, again.sums[0] += x, again.sums[1] += x * x;
  mergeByteMoments(again, 0, alone);
  const sum = pixels.reduce((a, b) => a + b, 0);
  assert.equal(alone.mean, sum / pixels.length);
  const exact = pixels.reduce((a, x) => a + BigInt(x * pixels.length - sum) ** 2n, 0n);
  assert.equal(alone.m2, Number(exact / BigInt(pixels.length)) / pixels.length);
});
