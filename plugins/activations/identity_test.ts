import assert from "node:assert/strict";
import { checkActivationGradient } from "../../core/checks/gradcheck.ts";
import { identity } from "./identity.ts";

Deno.test("identity passes values through with derivative 1", () => {
  const z = { data: new Float64Array([-1e4, -0.5, 0, 3]), rows: 2, cols: 2 };
  const y = { data: new Float64Array(4), rows: 2, cols: 2 };
  identity.forward(z, y);
  assert.deepEqual(Array.from(y.data), [-1e4, -0.5, 0, 3]);
  const dz = { data: new Float64Array(4), rows: 2, cols: 2 };
  identity.backward({ z, y, dy: { data: new Float64Array([1, 2, 3, 4]), rows: 2, cols: 2 }, dz });
  assert.deepEqual(Array.from(dz.data), [1, 2, 3, 4]);
});

Deno.test("identity derivative matches finite differences", () => {
  assert.equal(checkActivationGradient(identity).ok, true);
});

Deno.test("identity leaves init to the core (Glorot)", () => {
  assert.equal(identity.init, undefined);
  assert.equal(identity.version, "1.0.0");
});
