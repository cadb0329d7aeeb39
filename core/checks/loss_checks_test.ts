import assert from "node:assert/strict";
import type { LossPlugin } from "../math/types.ts";
import * as bad from "../_testing/bad_plugins.ts";
import { fakeMse } from "../_testing/fakes.ts";
import { checkLossFinite, checkLossGradients, checkLossPurity } from "./loss_checks.ts";

Deno.test("loss checks pass mse", () => {
  for (const check of [checkLossPurity, checkLossFinite, checkLossGradients]) {
    const r = check(fakeMse);
    assert.ok(r.ok, r.detail);
  }
});

Deno.test("loss gradient check refuses a gradient off by a factor 2", () => {
  const r = checkLossGradients(bad.halfGradientLoss);
  assert.equal(r.ok, false);
  assert.match(
    r.detail,
    /gradient of "myorg\/sse" at x = \S+ is \S+ but finite differences give \S+/,
  );
});

Deno.test("loss purity check catches a loss that drifts between calls", () => {
  let calls = 0;
  const drifting: LossPlugin = { ...fakeMse, loss: (args) => fakeMse.loss(args) + 1e-12 * calls++ };
  assert.match(
    checkLossPurity(drifting).detail,
    /^Impure plugin "mse": loss gave \S+ then \S+ for the same batch/,
  );
});

Deno.test("loss finite check feeds probabilities of exactly 0 and 1", () => {
  const naive: LossPlugin = {
    kind: "loss",
    name: "naiveLog",
    input: "probabilities",
    loss: ({ y, t }) =>
      -Array.from(y.data, (p, i) => t.data[i] * Math.log(p)).reduce((a, b) => a + b, 0),
    gradient({ y, t }, dy) {
      for (let i = 0; i < y.data.length; i++) dy.data[i] = -t.data[i] / y.data[i];
    },
  };
  assert.match(
    checkLossFinite(naive).detail,
    /^Non-finite output from "naiveLog": loss is (Infinity|NaN)/,
  );
});
