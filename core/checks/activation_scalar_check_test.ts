import assert from "node:assert/strict";
import { elementwise } from "../math/elementwise.ts";
import type { ActivationPlugin } from "../math/types.ts";
import { fakeRelu, fakeTanh } from "../_testing/fakes.ts";
import { checkActivationScalar } from "./activation_scalar_check.ts";

const square = (loops: Partial<Pick<ActivationPlugin, "forward" | "backward">>) =>
  elementwise({ name: "myorg/square", f: (x) => x * x, df: (x) => 2 * x, ...loops });

Deno.test("scalar check passes the default loops, which call f and df", () => {
  for (const p of [square({}), fakeTanh, fakeRelu]) {
    const r = checkActivationScalar(p);
    assert.ok(r.ok, `${p.name}: ${r.detail}`);
  }
});

Deno.test("scalar check passes hand-written loops that compute f and df", () => {
  const r = checkActivationScalar(square({
    forward(z, y) {
      for (let i = 0; i < z.rows * z.cols; i++) y.data[i] = z.data[i] * z.data[i];
    },
    backward({ z, dy, dz }) {
      for (let i = 0; i < z.rows * z.cols; i++) dz.data[i] = dy.data[i] * 2 * z.data[i];
    },
  }));
  assert.ok(r.ok, r.detail);
  assert.equal(r.detail, "forward matches f and backward dy · df at 32 points (float32)");
});

Deno.test("scalar check names the point where forward and f part", () => {
  const r = checkActivationScalar(square({ forward: (z, y) => y.data.set(z.data) }));
  assert.equal(r.ok, false);
  assert.ok(r.error instanceof RangeError);
  assert.equal(
    r.detail,
    'Inconsistent plugin "myorg/square": forward at x = 0.001 gives 0.001 but f gives 0.000001; make forward compute f',
  );
});

Deno.test("scalar check catches a backward that ignores dy", () => {
  const r = checkActivationScalar(square({
    backward({ z, dz }) {
      for (let i = 0; i < z.rows * z.cols; i++) dz.data[i] = 2 * z.data[i];
    },
  }));
  assert.equal(r.ok, false);
  assert.match(
    r.detail,
    /backward at x = .* gives .* but dy · df gives .*; make backward compute dy · df/,
  );
});

Deno.test("scalar check catches a backward that drops dy's sign", () => {
  const r = checkActivationScalar(square({
    backward({ z, dy, dz }) {
      for (let i = 0; i < z.rows * z.cols; i++) dz.data[i] = Math.abs(dy.data[i]) * 2 * z.data[i];
    },
  }));
  assert.equal(r.ok, false);
  assert.match(r.detail, /make backward compute dy · df/);
});

Deno.test("scalar check holds a plugin to its relu kernel promise", () => {
  const relu = elementwise({
    name: "myorg/relu",
    f: (x) => Math.max(x, 0),
    df: (x) => (x > 0 ? 1 : 0),
    kernel: "relu",
  });
  assert.equal(
    checkActivationScalar(relu).detail,
    'forward matches f and backward dy · df; kernel "relu" holds at 32 points (float32)',
  );
  const leaky = (x: number) => (x > 0 ? x : 0.01 * x);
  const wrong = elementwise({
    name: "myorg/leaky",
    f: leaky,
    df: (x) => (x > 0 ? 1 : 0.01),
    kernel: "relu",
  });
  const r = checkActivationScalar(wrong);
  assert.equal(r.ok, false);
  assert.equal(
    r.detail,
    'Inconsistent plugin "myorg/leaky": forward at x = -0.001 gives -0.00001 but kernel "relu" (max(z, 0)) gives 0; remove kernel or make forward max(z, 0)',
  );
});

Deno.test("scalar check passes a row-wise activation, which has no f", () => {
  const rowwise: ActivationPlugin = { ...fakeTanh, f: undefined, df: undefined };
  const r = checkActivationScalar(rowwise);
  assert.ok(r.ok);
  assert.match(r.detail, /no scalar f/);
});
