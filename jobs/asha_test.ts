import assert from "node:assert/strict";
import { ashaRungs, createAsha, rungDecision } from "./asha.ts";

Deno.test("rungs sit at min_iter times powers of eta below the last epoch", () => {
  assert.deepEqual(ashaRungs({ minIter: 3, eta: 3, epochs: 27 }), [3, 9]);
  assert.deepEqual(ashaRungs({ minIter: 3, eta: 3, epochs: 28 }), [3, 9, 27]);
  assert.deepEqual(ashaRungs({ minIter: 2, eta: 2, epochs: 3 }), [2]);
  assert.deepEqual(ashaRungs({ minIter: 5, eta: 2, epochs: 5 }), []);
  assert.throws(() => ashaRungs({ minIter: 1, eta: 1, epochs: 9 }), RangeError);
  assert.throws(() => ashaRungs({ minIter: 0, eta: 3, epochs: 9 }), RangeError);
});

Deno.test("the first trial at a rung goes on, and then only the top 1/eta so far", () => {
  const options = { eta: 3, goal: "maximize" } as const;
  assert.equal(rungDecision([], 0.1, options), "continue");
  assert.equal(rungDecision([0.5], 0.4, options), "stop"); // 1 of 2 goes on
  assert.equal(rungDecision([0.5], 0.6, options), "continue");
  assert.equal(rungDecision([0.5, 0.7, 0.2], 0.6, options), "continue"); // 2 of 4 go on
  assert.equal(rungDecision([0.5, 0.7, 0.9], 0.6, options), "stop");
});

Deno.test("ties at a rung go on together, and NaN always stops", () => {
  const options = { eta: 2, goal: "minimize" } as const;
  assert.equal(rungDecision([0.3], 0.3, options), "continue");
  assert.equal(rungDecision([0.3], Number.NaN, options), "stop");
  assert.equal(rungDecision([Number.NaN], 0.9, options), "continue");
});

Deno.test("minimize keeps the lowest values and maximize the highest", () => {
  assert.equal(rungDecision([0.2], 0.1, { eta: 2, goal: "minimize" }), "continue");
  assert.equal(rungDecision([0.2], 0.1, { eta: 2, goal: "maximize" }), "stop");
});

Deno.test("on made-up loss curves, ASHA stops the weak trials at the first rung and keeps the best to the end", () => {
  // Loss streams: trial k's loss at epoch e is (k + 1) / e, so trial 0 is best everywhere.
  const asha = createAsha({ minIter: 1, eta: 3, epochs: 9, goal: "minimize" });
  assert.deepEqual(asha.rungs, [1, 3]);
  const alive = new Set(["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"]);
  const stoppedAt = new Map<string, number>();
  // Trials arrive in a mixed order, so early ones are judged on few peers (the asynchronous case).
  const order = ["t4", "t0", "t7", "t2", "t8", "t1", "t5", "t3", "t6"];
  for (let epoch = 1; epoch <= 9; epoch++) {
    for (const id of order) {
      if (!alive.has(id)) continue;
      const k = Number(id.slice(1));
      if (asha.report(id, epoch, (k + 1) / epoch) === "stop") {
        alive.delete(id);
        stoppedAt.set(id, epoch);
      }
    }
  }
  assert.ok(alive.has("t0"), "the best trial trains to the end");
  assert.ok(alive.size <= 3, `most trials stop early, ${alive.size} went on`);
  assert.ok([...stoppedAt.values()].every((e) => e === 1 || e === 3), "stops happen at rungs only");
  assert.ok([...stoppedAt.values()].filter((e) => e === 1).length >= 4);
  assert.equal(asha.recorded(1).length, 9, "every trial was judged at the first rung");
  assert.deepEqual([...alive].sort(), ["t0", "t1", "t4"]);
});

Deno.test("trials that arrive worst first all go on: asynchronous halving judges each on the trials before it", () => {
  const asha = createAsha({ minIter: 1, eta: 3, epochs: 9, goal: "minimize" });
  const decisions = [9, 8, 7, 6, 5].map((loss, i) => asha.report(`t${i}`, 1, loss));
  assert.deepEqual(decisions, Array(5).fill("continue"));
});

Deno.test("a trial is judged once per rung, and epochs between rungs always continue", () => {
  const asha = createAsha({ minIter: 2, eta: 2, epochs: 10, goal: "maximize" });
  assert.equal(asha.report("a", 2, 0.9), "continue");
  assert.equal(asha.report("b", 2, 0.1), "stop");
  assert.equal(asha.report("b", 2, 0.1), "continue", "already judged at rung 2");
  assert.equal(asha.report("b", 3, 0.0), "continue", "epoch 3 is no rung");
  assert.deepEqual(asha.recorded(2), [0.9, 0.1]);
  assert.deepEqual(asha.recorded(3), []);
});
