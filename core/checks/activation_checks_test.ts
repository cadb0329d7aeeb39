import assert from "node:assert/strict";
import { elementwise } from "../math/elementwise.ts";
import type { ActivationPlugin } from "../math/types.ts";
import * as bad from "../_testing/bad_plugins.ts";
import { fakeRelu, fakeTanh } from "../_testing/fakes.ts";
import {
  checkActivationFinite,
  checkActivationGradients,
  checkActivationPurity,
} from "./activation_checks.ts";

Deno.test("activation checks pass tanh and relu", () => {
  for (const p of [fakeTanh, fakeRelu]) {
    for (const check of [checkActivationPurity, checkActivationFinite, checkActivationGradients]) {
      const r = check(p);
      assert.ok(r.ok, `${p.name}: ${r.detail}`);
    }
  }
});

Deno.test("purity check names the differing values with enough digits to tell them apart", () => {
  const r = checkActivationPurity(bad.impure);
  assert.equal(r.ok, false);
  assert.ok(r.error instanceof RangeError);
  // The scalar f in float64: float32 loops would round a 1e-9 noise away.
  const [, a, b] = r.detail.match(/: f gave (\S+) then (\S+) for the same input x = /)!;
  assert.notEqual(a, b);
  // A row-wise plugin (no f) is caught in its batch forward.
  const noisyRows: ActivationPlugin = {
    ...fakeTanh,
    f: undefined,
    df: undefined,
    forward(z, y) {
      for (let i = 0; i < z.data.length; i++) y.data[i] = z.data[i] + Math.random();
    },
  };
  assert.match(checkActivationPurity(noisyRows).detail, /forward gave \S+ then \S+ for/);
});

Deno.test("purity check catches a forward that writes into its input", () => {
  const scribbler: ActivationPlugin = {
    ...fakeTanh,
    forward(z, y) {
      fakeTanh.forward(z, y);
      z.data[0] = 42;
    },
  };
  assert.match(
    checkActivationPurity(scribbler).detail,
    /forward changed its input z at x = 0, write into y only/,
  );
});

Deno.test("finite check probes up to |x| = 1e4 and in float32", () => {
  assert.match(
    checkActivationFinite(bad.nanForLarge).detail,
    /: f at x = 1000 is NaN \(float64\)/,
  );
  const cubeish = elementwise({ name: "p10", f: (x) => x ** 10, df: (x) => 10 * x ** 9 });
  assert.match(
    checkActivationFinite(cubeish).detail,
    /at x = 1e\+4 is Infinity \(float32\)|at x = 10000 is Infinity \(float32\)/,
  );
});

Deno.test("finite check catches outputs that are never written", () => {
  const lazy: ActivationPlugin = { ...fakeTanh, forward() {} };
  assert.match(checkActivationFinite(lazy).detail, /forward at x = 0 is NaN/);
});

Deno.test("gradient check gives the message the registry throws", () => {
  const r = checkActivationGradients(bad.offByFactor);
  assert.equal(r.ok, false);
  assert.equal(r.grad?.checked, 24);
  assert.match(
    r.detail,
    /^Gradient check failed: derivative of "myorg\/swish" at x = \S+ is \S+ but finite differences give \S+ \(wrong at 2\d of 24 points\); fix df/,
  );
  const noDf: ActivationPlugin = { ...bad.offByFactor, f: undefined, df: undefined };
  assert.match(
    checkActivationGradients(noDf).detail,
    /fix backward so it is the derivative of forward$/,
  );
  assert.match(
    checkActivationGradients(fakeTanh).detail,
    /^24 points, worst relative error \S+ at x = \S+$/,
  );
});
