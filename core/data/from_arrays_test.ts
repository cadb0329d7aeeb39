import assert from "node:assert/strict";
import { fromArrays } from "./from_arrays.ts";

Deno.test("fromArrays packs rows into float32 arrays, numbers as one target", () => {
  const source = fromArrays([[0, 1], [2, 3]], [1, 0]);
  assert.deepEqual(
    { ...source, x: [...source.x], y: [...source.y] },
    { kind: "memory", x: [0, 1, 2, 3], y: [1, 0], inputs: 2, outputs: 1, size: 2 },
  );
  assert.equal(fromArrays([[1]], [[0, 1, 0]]).outputs, 3);
});

Deno.test("fromArrays names the row of uneven width", () => {
  assert.throws(() => fromArrays([[0, 1], [2]], [1, 0]), {
    name: "RangeError",
    message: "Invalid x: row 1 has 1 values but row 0 has 2",
  });
  assert.throws(() => fromArrays([[0]], [1, 0]), { message: /Invalid y: 2 rows but x has 1/ });
});
