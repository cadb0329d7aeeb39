import assert from "node:assert/strict";
import { adamConstants, adamSettings, adamUpdate } from "./adam_rule.ts";
import type { Backend } from "./backend.ts";
import { tsBackend } from "./kernels.ts";
import { createOptimizerState, updateParams } from "./optimize.ts";
import { fakeSgd } from "../_testing/fakes.ts";
import type { OptimizerPlugin } from "./types.ts";

const adamPlugin: OptimizerPlugin = {
  kind: "optimizer",
  name: "adam",
  lr: 0.01,
  slots: 2,
  kernel: "adam",
  params: { lr: 0.01, beta1: 0.8 },
  update(p, g, [m, v], { lr, t }) {
    adamUpdate(p, g, m, v, adamConstants(adamSettings({ beta1: 0.8 }), lr, t));
  },
};

/** A backend whose adam kernel counts its calls and runs the core rule. */
function countingBackend(): Backend & { calls: number } {
  const b = {
    ...tsBackend,
    calls: 0,
    adam(...args: Parameters<NonNullable<Backend["adam"]>>) {
      b.calls++;
      adamUpdate(...args);
    },
  };
  return b;
}

const tensors = () => [Float32Array.from([0.5, -1, 2]), Float32Array.from([3])];
const grads = [Float32Array.from([0.1, -0.2, 3]), Float32Array.from([-1e-3])];

Deno.test("updateParams runs a declared adam kernel on the backend, with the plugin's settings", () => {
  const viaPlugin = tensors(), viaKernel = tensors(), backend = countingBackend();
  const a = createOptimizerState(adamPlugin, viaPlugin),
    b = createOptimizerState(adamPlugin, viaKernel);
  for (let step = 0; step < 3; step++) {
    updateParams(adamPlugin, { params: viaPlugin, grads, state: a, lr: 0.01 });
    updateParams(adamPlugin, { params: viaKernel, grads, state: b, lr: 0.01, backend });
  }
  assert.equal(backend.calls, 6); // 2 tensors, 3 steps
  assert.deepEqual(viaKernel, viaPlugin);
  assert.deepEqual(b, a);
});

Deno.test("updateParams uses the plugin when it declares no kernel or the backend has none", () => {
  const backend = countingBackend(), params = tensors();
  const state = createOptimizerState(fakeSgd(0.1), params);
  updateParams(fakeSgd(0.1), { params, grads, state, lr: 0.1, backend });
  assert.equal(backend.calls, 0);
  assert.ok(Math.abs(params[0][0] - 0.49) < 1e-6);
  const plain = tensors();
  updateParams(adamPlugin, {
    params: plain,
    grads,
    state: createOptimizerState(adamPlugin, plain),
    lr: 0.01,
    backend: tsBackend,
  });
  assert.ok(Math.abs(plain[0][0] - 0.49) < 1e-6); // Adam's first step moves each weight by lr
});
