import assert from "node:assert/strict";
import { exponentialDecay } from "./exponential_decay.ts";

Deno.test("exponentialDecay multiplies the rate by gamma each epoch", () => {
  const s = exponentialDecay({ gamma: 0.5 });
  assert.deepEqual([1, 2, 3].map((epoch) => s.lr({ epoch, epochs: 3, base: 1 }, {})), [
    1,
    0.5,
    0.25,
  ]);
  assert.throws(() => exponentialDecay({ gamma: 1.5 }), { message: /at most 1/ });
});
