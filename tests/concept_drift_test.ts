// The acceptance test of issue 20: prequential accuracy on a stream whose
// class rule flips half-way. Asserts on accuracy only, never on time.
import assert from "node:assert/strict";
import { learnDrift } from "../examples/concept_drift.ts";

Deno.test("online learning on a drifting stream: accuracy is high before the flip, drops just after it and recovers", async () => {
  // 40,000 2-D samples, rule flips at 20,000; 16 tanh units, softmax, Adam 0.01, batch 32, window 2,000.
  const windows = await learnDrift({
    samples: 40_000,
    flipAt: 20_000,
    batchSize: 32,
    window: 2_000,
  });
  assert.deepEqual(
    windows.map((w) => w.samples),
    Array.from({ length: 20 }, (_, i) => 2_000 * (i + 1)),
  );
  assert.ok(windows.every((w) => w.size === 2_000));
  const accuracy = windows.map((w) => w.accuracy!);
  const beforeFlip = accuracy[9], justAfter = accuracy[10], atEnd = accuracy[19];
  assert.ok(beforeFlip >= 0.9, `last window before the flip: ${beforeFlip}`);
  assert.ok(
    accuracy.slice(1, 10).every((a) => a >= 0.9),
    `before the flip: ${accuracy.slice(0, 10)}`,
  );
  assert.ok(justAfter <= 0.75, `first window after the flip: ${justAfter}`);
  assert.ok(atEnd >= 0.9, `last window: ${atEnd}`);
});
