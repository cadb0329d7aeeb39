import assert from "node:assert/strict";
import { inMemory } from "./in_memory.ts";

Deno.test("inMemory checks that x and y hold whole rows", () => {
  assert.equal(
    inMemory({ x: new Float32Array(6), y: new Float32Array(3), inputs: 2, outputs: 1 }).size,
    3,
  );
  assert.throws(
    () => inMemory({ x: new Float32Array(5), y: new Float32Array(3), inputs: 2, outputs: 1 }),
    { name: "RangeError", message: /5 values is not a whole number of rows of 2 inputs/ },
  );
  assert.throws(
    () => inMemory({ x: new Float32Array(4), y: new Float32Array(3), inputs: 2, outputs: 1 }),
    { message: /Invalid y: 3 values but 2 rows of 1 outputs need 2/ },
  );
});
