import assert from "node:assert/strict";
import { createRegistry } from "./registry.ts";
import { fakeMse, fakeSigmoid, fakeTanh } from "../_testing/fakes.ts";
import { lastValueFrom } from "rxjs";
import { inMemory } from "../data/in_memory.ts";
import { train } from "../train/train.ts";
import { createNetwork } from "../math/network.ts";
import { checkLossPairing, lossPairingProblem } from "./pairing.ts";
import type { ActivationPlugin, LossInput, LossPlugin } from "../math/types.ts";

// Only the traits the rule reads, as the built-in plugins declare them.
const activation = (name: string, traits: { probabilities?: boolean; rowwise?: boolean } = {}) =>
  ({ kind: "activation", name, ...traits, forward() {}, backward() {} }) as ActivationPlugin;
const loss = (name: string, input: LossInput, fused?: string) =>
  ({
    kind: "loss",
    name,
    input,
    loss: () => 0,
    gradient() {},
    ...(fused ? { fused: { activation: fused, loss: () => 0, gradient() {} } } : {}),
  }) as LossPlugin;

const identity = activation("identity");
const relu = activation("relu");
const sigmoid = activation("sigmoid", { probabilities: true });
const softmax = activation("softmax", { probabilities: true, rowwise: true });
const crossEntropy = loss("crossEntropy", "probabilities", "softmax");
const crossEntropyLogits = loss("crossEntropy", "logits");
const bce = loss("binaryCrossEntropy", "probabilities", "sigmoid");
const bceLogits = loss("binaryCrossEntropy", "logits");
const mse = loss("mse", "values");
const custom = loss("myorg/focal", "probabilities");

Deno.test("checkLossPairing accepts the pairings that fit their output width", () => {
  const fits: [ActivationPlugin, LossPlugin, number][] = [
    [softmax, crossEntropy, 2],
    [softmax, crossEntropy, 10],
    [sigmoid, bce, 1],
    [sigmoid, bce, 4], // multi-label: independent yes/no outputs
    [identity, bceLogits, 1],
    [identity, bceLogits, 3],
    [identity, crossEntropyLogits, 3],
    [identity, mse, 1],
    [relu, mse, 5],
    [sigmoid, mse, 1],
    [softmax, mse, 3], // squared error on probabilities is a choice, not a mistake
    [softmax, custom, 3], // a plugin loss that says nothing more is trusted
  ];
  for (const [output, lossPlugin, units] of fits) {
    const what = `${lossPlugin.name} (${lossPlugin.input}) after ${units} ${output.name}`;
    assert.equal(lossPairingProblem(output, lossPlugin, { units }), undefined, what);
    checkLossPairing(output, lossPlugin, { units });
  }
});

Deno.test("crossEntropy on one output is refused, naming the loss, the activation and the fix", () => {
  assert.throws(() => checkLossPairing(sigmoid, crossEntropy, { units: 1 }), {
    name: "TypeError",
    message:
      'Loss "crossEntropy" reads each row of outputs as one distribution over classes but the output layer has 1 unit ("sigmoid"): use binaryCrossEntropy for one sigmoid output, or 2+ softmax units (one per class) for "crossEntropy"',
  });
  assert.throws(() => checkLossPairing(softmax, crossEntropy, { units: 1 }), {
    name: "TypeError",
    message:
      /^Loss "crossEntropy" reads each row .* has 1 unit \("softmax"\): use binaryCrossEntropy/,
  });
  assert.throws(() => checkLossPairing(identity, crossEntropyLogits, { units: 1 }), {
    name: "TypeError",
    message:
      /has 1 unit \("identity"\): use binaryCrossEntropy with fromLogits for one identity output, or 2\+ identity units/,
  });
});

Deno.test("softmax on one output is refused whatever the loss: it is always 1", () => {
  for (const lossPlugin of [mse, bce]) {
    assert.throws(() => checkLossPairing(softmax, lossPlugin, { units: 1 }), {
      name: "TypeError",
      message: new RegExp(
        `^Loss "${lossPlugin.name}" cannot learn through the output activation "softmax" on 1 unit: "softmax" over one output is always 1; use sigmoid or identity for one output, or 2\\+ "softmax" units`,
      ),
    });
  }
});

Deno.test("crossEntropy after several sigmoid outputs is refused: a row need not sum to 1", () => {
  assert.throws(() => checkLossPairing(sigmoid, crossEntropy, { units: 3 }), {
    name: "TypeError",
    message:
      'Loss "crossEntropy" reads each row of outputs as one distribution over classes but the output activation "sigmoid" on 3 units gives each output on its own, so a row need not sum to 1: use softmax on the output layer for one class per row, or binaryCrossEntropy for independent yes/no outputs',
  });
});

Deno.test("binaryCrossEntropy after softmax is refused", () => {
  assert.throws(() => checkLossPairing(softmax, bce, { units: 3 }), {
    name: "TypeError",
    message:
      'Loss "binaryCrossEntropy" treats each output as its own yes/no question but the output activation "softmax" on 3 units makes the outputs of a row share one distribution: use crossEntropy with "softmax" for one class per row, or sigmoid outputs for independent yes/no questions',
  });
});

Deno.test("probabilities after a linear output and logits after probabilities are refused", () => {
  assert.throws(() => checkLossPairing(identity, crossEntropy, { units: 3 }), {
    name: "TypeError",
    message:
      'Loss "crossEntropy" expects probabilities but the output activation "identity" on 3 units does not give them: use softmax on the output layer (sigmoid for one output), or the loss\'s fromLogits option',
  });
  assert.throws(() => checkLossPairing(relu, bce, { units: 1 }), {
    name: "TypeError",
    message: /^Loss "binaryCrossEntropy" expects probabilities but the output activation "relu"/,
  });
  assert.throws(() => checkLossPairing(sigmoid, bceLogits, { units: 1 }), {
    name: "TypeError",
    message:
      'Loss "binaryCrossEntropy" expects logits but the output activation "sigmoid" on 1 unit already gives probabilities: use identity on the output layer, or drop fromLogits',
  });
  assert.throws(() => checkLossPairing(softmax, crossEntropyLogits, { units: 3 }), {
    name: "TypeError",
    message: /expects logits but the output activation "softmax" on 3 units/,
  });
});

Deno.test("without units only the activation and the loss are compared", () => {
  checkLossPairing(sigmoid, bce);
  checkLossPairing(softmax, crossEntropy);
  assert.equal(lossPairingProblem(softmax, mse), undefined);
  assert.throws(() => checkLossPairing(identity, crossEntropy), {
    name: "TypeError",
    message: /^Loss "crossEntropy" expects probabilities but the output activation "identity" does/,
  });
  assert.throws(() => checkLossPairing(softmax, bce), {
    message: /^Loss "binaryCrossEntropy" treats each output .* activation "softmax" makes/,
  });
});

Deno.test("train() checks the pairing with the output layer's units before the first step", async () => {
  const registry = createRegistry([fakeTanh, fakeSigmoid]);
  const spec = {
    inputs: 2,
    layers: [{ units: 4, activation: "tanh" }, { units: 1, activation: "sigmoid" }],
  };
  const network = createNetwork(spec, { registry, seed: 1 });
  const ce = { ...fakeMse, name: "crossEntropy", input: "probabilities" as const };
  const data = inMemory({ x: new Float32Array(8), y: new Float32Array(4), inputs: 2, outputs: 1 });
  const optimizer = { kind: "optimizer" as const, name: "none", lr: 0, slots: 0, update() {} };
  const run = train({ network, loss: ce, optimizer, data, epochs: 1, batchSize: 4 });
  await assert.rejects(lastValueFrom(run), {
    name: "TypeError",
    message: /^Loss "crossEntropy" reads each row .* the output layer has 1 unit \("sigmoid"\)/,
  });
});
