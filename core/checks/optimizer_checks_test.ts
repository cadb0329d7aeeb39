import assert from "node:assert/strict";
import type { OptimizerPlugin } from "../math/types.ts";
import * as bad from "../_testing/bad_plugins.ts";
import { fakeSgd } from "../_testing/fakes.ts";
import { adamConstants, adamSettings, adamUpdate } from "../math/adam_rule.ts";
import {
  checkOptimizerKernel,
  checkOptimizerPurity,
  checkOptimizerUpdate,
} from "./optimizer_checks.ts";

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

/** Adam by the book, as a plugin whose update calls the core rule (optionally nudged). */
const adamLike = (nudge = 0, params = {}): OptimizerPlugin => ({
  kind: "optimizer",
  name: "myorg/adam",
  lr: 0.01,
  slots: 2,
  kernel: "adam",
  params: { lr: 0.01, ...params },
  update(p, g, [m, v], { lr, t }) {
    adamUpdate(p, g, m, v, adamConstants(adamSettings({ ...params }), lr, t));
    if (nudge) p[3] += nudge;
  },
});

Deno.test("kernel check passes an update that is exactly the adam rule", () => {
  assert.ok(checkOptimizerKernel(adamLike()).ok);
  assert.ok(checkOptimizerKernel(adamLike(0, { beta1: 0.8, weightDecay: 0.1 })).ok);
  assert.equal(checkOptimizerKernel(fakeSgd(0.1)).detail, "no kernel declared");
});

Deno.test("kernel check refuses a claimed adam kernel that differs in any bit, lr or slot count", () => {
  const r = checkOptimizerKernel(adamLike(1e-6));
  assert.equal(r.ok, false);
  assert.ok(r.error instanceof RangeError);
  assert.match(
    r.detail,
    /^Broken kernel promise from "myorg\/adam": it declares kernel "adam" but after steps 1, 2, 3 and 1000 at lr 0.01 parameter 3 is \S+ where Adam gives 0 \(core\/math\/adam_rule.ts with beta1 0.9, beta2 0.999, eps 1e-8, weightDecay 0\); remove kernel or compute exactly that rule$/,
  );
  // Settings other than the ones in params break the promise too.
  const wrongBeta = { ...adamLike(0, { beta1: 0.8 }), params: { lr: 0.01 } };
  assert.equal(checkOptimizerKernel(wrongBeta).ok, false);
  // So does a rule that ignores the step's learning rate (schedules, warm-up).
  const fixedLr: OptimizerPlugin = {
    ...adamLike(),
    update: (p, g, [m, v], { t }) => adamUpdate(p, g, m, v, adamConstants(adamSettings(), 0.01, t)),
  };
  assert.match(checkOptimizerKernel(fixedLr).detail, / at lr 0.00433\d* parameter 0 /);
  assert.match(
    checkOptimizerKernel({ ...adamLike(), slots: 3 }).detail,
    /it keeps 3 slots where Adam keeps 2/,
  );
});
