import assert from "node:assert/strict";
import { reduceOnPlateau } from "./reduce_on_plateau.ts";

Deno.test("reduceOnPlateau cuts the rate after `patience` epochs without improvement", () => {
  const s = reduceOnPlateau({ factor: 0.5, patience: 2, minDelta: 0.01, minLr: 0.2 });
  let state = s.init!();
  const lrs: number[] = [];
  for (const valLoss of [1, 0.5, 0.495, 0.6, 0.4, 0.41, 0.42, 0.43, 0.44]) {
    state = s.next!(state, { loss: 9, valLoss });
    lrs.push(s.lr({ epoch: 1, epochs: 1, base: 1 }, state));
  }
  assert.deepEqual(lrs, [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2]);
  assert.deepEqual(JSON.parse(JSON.stringify(state)), state, "state is plain JSON");
});

Deno.test("reduceOnPlateau watches the training loss when told or when there is no validation", () => {
  const s = reduceOnPlateau({ factor: 0.5, patience: 1 });
  let state = s.init!();
  state = s.next!(state, { loss: 1 });
  state = s.next!(state, { loss: 2 });
  assert.equal(s.lr({ epoch: 3, epochs: 3, base: 1 }, state), 0.5);
  const strict = reduceOnPlateau({ monitor: "valLoss" });
  assert.throws(() => strict.next!(strict.init!(), { loss: 1 }), {
    name: "TypeError",
    message: /no validation data/,
  });
});
