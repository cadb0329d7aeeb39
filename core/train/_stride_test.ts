import assert from "node:assert/strict";
import { nextStride } from "./_stride.ts";

Deno.test("nextStride fits the target at the measured pace, at most doubling, within 1..max", () => {
  assert.equal(nextStride(4, 0.01, 0.25, 64), 8); // fits 100, but at most double
  assert.equal(nextStride(64, 0.08, 0.25, 64), 64); // fits 200, capped at max
  assert.equal(nextStride(10, 1, 0.25, 64), 3); // 2.5 rounds to 3 (slower calls: fewer)
  assert.equal(nextStride(1, 5, 0.25, 64), 1); // never below 1
  assert.equal(nextStride(3, 0, 0.25, 64), 6); // no measurable time: grow (doubling still applies)
});
