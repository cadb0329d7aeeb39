import assert from "node:assert/strict";
import type { OptimizerPlugin } from "../types.ts";
import * as bad from "../_testing/bad_plugins.ts";
import { fakeSgd } from "../_testing/fakes.ts";
import { checkOptimizerPurity, checkOptimizerUpdate } from "./optimizer_checks.ts";

Deno.test("optimizer checks pass sgd", () => {
  assert.ok(checkOptimizerUpdate(fakeSgd(0.1)).ok);
  assert.ok(checkOptimizerPurity(fakeSgd(0.1)).ok);
});

Deno.test("optimizer update check names the parameter that went non-finite", () => {
  assert.equal(
    checkOptimizerUpdate(bad.dividingOptimizer).detail,
    'Non-finite update from "myorg/newtonish": after 3 steps parameter 3 (start 0, gradient 0) is -Infinity (float32); keep updates finite, e.g. add eps before dividing',
  );
});

Deno.test("optimizer purity check catches hidden state and writes into grad", () => {
  let step = 0;
  const hidden: OptimizerPlugin = {
    ...fakeSgd(0.1),
    update(p, g, _s, { lr }) {
      step++;
      for (let i = 0; i < p.length; i++) p[i] -= lr * g[i] * (1 + step * 1e-3);
    },
  };
  assert.match(
    checkOptimizerPurity(hidden).detail,
    /^Impure plugin "sgd": the same 3 updates gave parameter 0 = \S+ then \S+/,
  );
  const clipsInPlace: OptimizerPlugin = { ...fakeSgd(0.1), update: (_p, g) => g.fill(0) };
  assert.match(checkOptimizerPurity(clipsInPlace).detail, /update changed grad/);
});
