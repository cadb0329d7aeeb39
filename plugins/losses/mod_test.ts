import assert from "node:assert/strict";
import { checkLossGradient, formatGradFailure } from "../../core/checks/gradcheck.ts";
import { builtinActivations } from "../activations/mod.ts";
import { binaryCrossEntropy, builtinLosses, crossEntropy } from "./mod.ts";

Deno.test("builtinLosses lists every built-in loss once, in a fresh array", () => {
  assert.deepEqual(builtinLosses().map((l) => l.name), [
    "mse",
    "mae",
    "huber",
    "binaryCrossEntropy",
    "crossEntropy",
  ]);
  assert.notEqual(builtinLosses(), builtinLosses());
  for (const l of builtinLosses()) {
    assert.equal(l.kind, "loss");
    assert.equal(l.version, "1.0.0");
  }
});

Deno.test("every built-in loss gradient matches finite differences", () => {
  const activations = builtinActivations();
  const all = [
    ...builtinLosses(),
    binaryCrossEntropy({ fromLogits: true }),
    crossEntropy({ fromLogits: true }),
  ];
  for (const loss of all) {
    const activation = activations.find((a) => a.name === loss.fused?.activation);
    const report = checkLossGradient(loss, { activation });
    assert.ok(report.ok, report.failures.map((f) => formatGradFailure(loss.name, f)).join("\n"));
  }
});

Deno.test("every fused path names an activation that outputs probabilities", () => {
  for (const loss of builtinLosses().filter((l) => l.fused)) {
    const act = builtinActivations().find((a) => a.name === loss.fused?.activation);
    assert.equal(act?.probabilities, true);
    assert.equal(loss.input, "probabilities");
  }
});
