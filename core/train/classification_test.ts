import assert from "node:assert/strict";
import { fakeMse } from "../_testing/fakes.ts";
import { fakeCrossEntropy, net } from "../_testing/train_fakes.ts";
import { classification } from "./classification.ts";
import type { LossPlugin } from "../math/types.ts";

const logitsLoss = (name: string): LossPlugin => ({
  kind: "loss",
  name,
  input: "logits",
  loss: () => 0,
  gradient: () => {},
});
const outputs = (units: number, activation: string) =>
  net({ inputs: 2, layers: [{ units, activation }] });

Deno.test("multi-label binary cross-entropy on logits gets no arg-max accuracy", () => {
  const logits = outputs(3, "identity");
  assert.equal(classification(logits, logitsLoss("binaryCrossEntropy")), undefined);
  assert.equal(classification(logits, logitsLoss("myorg/focal")), undefined);
  assert.equal(classification(logits, logitsLoss("crossEntropy")), "multi");
});

Deno.test("classification follows the output activation for probability outputs", () => {
  assert.equal(classification(outputs(3, "softmax"), fakeCrossEntropy), "multi");
  assert.equal(classification(outputs(3, "softmax"), fakeMse), "multi");
  assert.equal(classification(outputs(3, "sigmoid"), fakeMse), undefined, "multi-label");
  assert.equal(classification(outputs(1, "sigmoid"), fakeMse), "binary");
  assert.equal(classification(outputs(3, "tanh"), fakeMse), undefined, "regression");
});
