import assert from "node:assert/strict";
import { elementwise } from "../math/elementwise.ts";
import type { ActivationPlugin } from "../math/types.ts";
import * as bad from "../_testing/bad_plugins.ts";
import { fakeMse, fakeSgd, fakeTanh } from "../_testing/fakes.ts";
import { assertPlugin, checkPlugin } from "./check_plugin.ts";

const bent = () =>
  elementwise({
    name: "myorg/bentIdentity",
    f: (x) => (Math.sqrt(x * x + 1) - 1) / 2 + x,
    df: (x) => x / (2 * Math.sqrt(x * x + 1)) + 1,
  });

Deno.test("checkPlugin reports each check, the fingerprint and the time", () => {
  const r = checkPlugin(bent());
  assert.equal(r.ok, true);
  assert.equal(r.name, "myorg/bentIdentity");
  assert.equal(r.kind, "activation");
  assert.equal(r.version, "1.0.0");
  assert.deepEqual(r.checks.map((c) => [c.check, c.ok]), [
    ["shape", true],
    ["pure", true],
    ["finite", true],
    ["gradient", true],
    ["scalar", true],
  ]);
  assert.match(r.fingerprint ?? "", /^fnv1a64:[0-9a-f]{16}$/);
  assert.ok(r.ms >= 0);
  assert.deepEqual(checkPlugin(fakeMse).checks.map((c) => c.check), [
    "shape",
    "pure",
    "finite",
    "gradient",
  ]);
  assert.deepEqual(checkPlugin(fakeSgd(0.1)).checks.map((c) => c.check), [
    "shape",
    "update",
    "pure",
    "kernel",
  ]);
});

Deno.test("checkPlugin runs every check even after one fails", () => {
  const r = checkPlugin(bad.nanForLarge);
  assert.equal(r.ok, false);
  assert.deepEqual(r.checks.map((c) => c.ok), [true, true, false, true, true]);
});

Deno.test("checkPlugin stops after a wrong shape and has no fingerprint", () => {
  const r = checkPlugin({ kind: "activation", name: "myorg/x" });
  assert.equal(r.ok, false);
  assert.equal(r.checks.length, 1);
  assert.equal(
    r.checks[0].detail,
    'Invalid plugin "myorg/x": forward must be a function; backward must be a function',
  );
  assert.equal(r.fingerprint, null);
});

Deno.test("a plugin that throws on a probe fails that check with its message", () => {
  const picky: ActivationPlugin = {
    ...fakeTanh,
    forward(z, y) {
      if (z.data.some((x) => Math.abs(x) > 100)) throw new RangeError("input too large");
      fakeTanh.forward(z, y);
    },
  };
  const r = checkPlugin(picky);
  const finite = r.checks.find((c) => c.check === "finite")!;
  assert.equal(finite.ok, false);
  assert.ok(finite.error instanceof RangeError);
  assert.equal(
    finite.detail,
    'Plugin "tanh" threw during the finite check: RangeError: input too large; plugins must accept every finite input',
  );
});

Deno.test("assertPlugin throws the first failure and remembers results per object", () => {
  assert.throws(() => assertPlugin(bad.impure), { name: "RangeError", message: /^Impure plugin/ });
  let calls = 0;
  const counted = elementwise({ name: "counted", f: (x) => (calls++, x), df: () => 1 });
  assertPlugin(counted);
  const after = calls;
  assertPlugin(counted);
  assert.equal(calls, after);
});
