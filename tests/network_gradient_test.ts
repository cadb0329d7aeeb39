// Whole-network gradient check: for every hidden activation and every output
// activation + loss pair that makes sense, backpropagation's gradients of all
// weights and biases match central finite differences, in float64.
import assert from "node:assert/strict";
import {
  createGradientStep,
  createNetwork,
  createRegistry,
  createRng,
  parameters,
} from "../mod.ts";
import type { Batch, LossPlugin } from "../mod.ts";
import { builtinActivations } from "../plugins/activations/mod.ts";
import { binaryCrossEntropy, crossEntropy, huber, mae, mse } from "../plugins/losses/mod.ts";

const registry = createRegistry(builtinActivations());
const hidden = builtinActivations().filter((a) => !a.rowwise).map((a) => a.name);

/** Output activation, loss, how many outputs, and what targets look like. */
const pairs: [string, LossPlugin, number, "onehot" | "binary" | "real"][] = [
  ["identity", mse, 2, "real"],
  ["identity", mae, 2, "real"],
  ["identity", huber({ delta: 0.5 }), 2, "real"],
  ["tanh", mse, 2, "real"],
  ["sigmoid", mse, 1, "binary"],
  ["sigmoid", binaryCrossEntropy(), 1, "binary"],
  ["identity", binaryCrossEntropy({ fromLogits: true }), 1, "binary"],
  ["softmax", crossEntropy(), 3, "onehot"],
  ["identity", crossEntropy({ fromLogits: true }), 3, "onehot"],
  ["softmax", mse, 3, "onehot"],
];

function makeBatch(
  rows: number,
  inputs: number,
  outputs: number,
  kind: string,
  seed: number,
): Batch {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: rows * inputs }, () => rng.normal());
  const t = new Float64Array(rows * outputs);
  for (let i = 0; i < rows; i++) {
    if (kind === "onehot") t[i * outputs + rng.int(outputs)] = 1;
    else {for (let j = 0; j < outputs; j++) {
        t[i * outputs + j] = kind === "binary" ? rng.int(2) : rng.normal();
      }}
  }
  return { x: { data: x, rows, cols: inputs }, t: { data: t, rows, cols: outputs } };
}

for (const h of hidden) {
  Deno.test(`backprop gradients match finite differences with ${h} hidden layers for every loss`, () => {
    for (const [out, loss, outputs, kind] of pairs) {
      const net = createNetwork(
        {
          inputs: 3,
          layers: [{ units: 4, activation: h }, { units: 3, activation: h }, {
            units: outputs,
            activation: out,
          }],
        },
        { registry, seed: 5, dtype: "float64" },
      );
      // Non-zero biases keep pre-activations off ReLU's kink at exactly 0,
      // where finite differences would measure the average of both sides.
      const rng = createRng(3);
      for (const l of net.layers) l.bias.forEach((_, i) => (l.bias[i] = 0.1 * rng.normal()));
      const batch = makeBatch(5, 3, outputs, kind, 9);
      const step = createGradientStep(net, { loss, batchSize: 5 });
      step.gradients(batch);
      const params = parameters(net);
      params.forEach((p, k) => {
        for (let i = 0; i < p.length; i++) {
          const keep = p[i], eps = 1e-6;
          p[i] = keep + eps;
          const up = step.evaluate(batch).loss;
          p[i] = keep - eps;
          const down = step.evaluate(batch).loss;
          p[i] = keep;
          const measured = (up - down) / (2 * eps);
          const declared = step.grads[k][i];
          const err = Math.abs(declared - measured);
          assert.ok(
            err <= 1e-4 * Math.max(Math.abs(declared), Math.abs(measured)) + 1e-8,
            `${h} -> ${out} + ${loss.name}: tensor ${k}[${i}] backprop ${declared} vs finite differences ${measured}`,
          );
        }
      });
    }
  });
}

Deno.test("L2 weight decay adds lambda * W to the weight gradients only", () => {
  const net = createNetwork({ inputs: 2, layers: [{ units: 2, activation: "tanh" }] }, {
    registry,
    seed: 1,
    dtype: "float64",
  });
  const batch = makeBatch(3, 2, 2, "real", 2);
  const plain = createGradientStep(net, { loss: mse, batchSize: 3 });
  plain.gradients(batch);
  const base = plain.grads.map((g) => Float64Array.from(g));
  const decayed = createGradientStep(net, { loss: mse, batchSize: 3, l2: 0.1 });
  decayed.gradients(batch);
  const [w] = parameters(net);
  for (let i = 0; i < w.length; i++) {
    assert.ok(Math.abs(decayed.grads[0][i] - (base[0][i] + 0.1 * w[i])) < 1e-12);
  }
  assert.deepEqual([...decayed.grads[1]], [...base[1]]);
});
