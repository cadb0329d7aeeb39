import assert from "node:assert/strict";
import { adamConstants, adamSettings, adamUpdate } from "./adam_rule.ts";
import { elementwise } from "./elementwise.ts";
import { createTrainStep } from "./train_step.ts";
import { fakeMse, fakeSgd } from "../_testing/fakes.ts";
import { adamKernel, adamMismatch, reluKernel, reluMismatch } from "./kernel_trust.ts";
import type { OptimizerPlugin } from "./types.ts";

const relu = elementwise({
  name: "relu",
  f: (x) => (x > 0 ? x : 0),
  df: (x) => (x > 0 ? 1 : 0),
  kernel: "relu",
});
const adam: OptimizerPlugin = {
  kind: "optimizer",
  name: "adam",
  lr: 0.01,
  slots: 2,
  kernel: "adam",
  params: { lr: 0.01 },
  update: (p, g, [m, v], { lr, t }) => adamUpdate(p, g, m, v, adamConstants(adamSettings(), lr, t)),
};

Deno.test("kernels are trusted when the plugin keeps the promise", () => {
  assert.equal(reluMismatch(relu), undefined);
  assert.equal(reluKernel(relu), true);
  assert.equal(adamMismatch(adam), undefined);
  assert.equal(adamKernel(adam), true);
});

Deno.test("a plugin spread from one with a kernel but with other math runs its own code", () => {
  const relu6 = { ...relu, name: "relu6", forward: relu.forward, f: (x: number) => Math.min(6, x) };
  const clip6 = {
    ...relu,
    name: "relu6",
    forward(z: { data: Float32Array | Float64Array }, y: { data: Float32Array | Float64Array }) {
      for (let i = 0; i < z.data.length; i++) y.data[i] = Math.min(6, Math.max(0, z.data[i]));
    },
  };
  assert.equal(reluKernel(relu6), true); // forward and backward still are max(z, 0): fine to fuse
  assert.equal(reluKernel(clip6), false);
  assert.deepEqual(reluMismatch(clip6), {
    what: "forward",
    index: 20,
    at: 10,
    got: 6,
    want: 10,
  });
  // A training step then runs the plugin's forward instead of fusing max(z, 0): z = 10 gives y = 6.
  const network = {
    spec: { inputs: 1, layers: [{ units: 1 }] },
    inputs: 1,
    outputs: 1,
    layers: [{
      inputs: 1,
      units: 1,
      activation: clip6,
      weights: new Float32Array([10]),
      bias: new Float32Array([0]),
    }],
  };
  const step = createTrainStep(network, { loss: fakeMse, optimizer: fakeSgd(0), batchSize: 1 });
  const batch = {
    x: { data: Float32Array.of(1), rows: 1, cols: 1 },
    t: { data: Float32Array.of(0), rows: 1, cols: 1 },
  };
  assert.equal(step.evaluate(batch).loss, 36);
  const frozen: OptimizerPlugin = { ...adam, name: "frozenAdam", update() {} };
  assert.equal(adamKernel(frozen), false);
  assert.equal(
    adamKernel({
      ...adam,
      update: () => {
        throw new Error("boom");
      },
    }),
    false,
  );
});
