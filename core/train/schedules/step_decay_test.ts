import assert from "node:assert/strict";
import { stepDecay } from "./step_decay.ts";

Deno.test("stepDecay drops the rate by gamma every `every` epochs", () => {
  const s = stepDecay({ every: 2, gamma: 0.5 });
  const lrs = [1, 2, 3, 4, 5].map((epoch) => s.lr({ epoch, epochs: 5, base: 0.8 }, {}));
  assert.deepEqual(lrs, [0.8, 0.8, 0.4, 0.4, 0.2]);
  assert.throws(() => stepDecay({ every: 0 }), {
    name: "RangeError",
    message: "Invalid stepDecay every: 0 must be at least 1",
  });
});
