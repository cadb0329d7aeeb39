import assert from "node:assert/strict";
import { decodeFloats, encodeFloats } from "./base64_floats.ts";

Deno.test("encodeFloats writes little-endian float32 bytes", () => {
  // 1.0f is 0x3f800000: bytes 00 00 80 3f in little-endian order.
  assert.equal(encodeFloats(new Float32Array([1])), "AACAPw==");
  assert.equal(encodeFloats(new Float32Array([])), "");
});

Deno.test("decodeFloats round-trips special float32 values bit for bit", () => {
  const values = new Float32Array([
    0,
    -0,
    1.5,
    -2,
    1e-45,
    3.4028234663852886e38,
    Math.fround(1 / 3),
  ]);
  const back = decodeFloats(encodeFloats(values));
  assert.deepEqual(back, values);
  assert.ok(Object.is(back[1], -0));
});

Deno.test("encodeFloats rounds float64 input to float32", () => {
  const back = decodeFloats(encodeFloats(new Float64Array([0.1])));
  assert.equal(back[0], Math.fround(0.1));
});

Deno.test("large arrays round-trip across the encoder's chunks", () => {
  const values = new Float32Array(50_000).map((_, i) => Math.sin(i) * 1000);
  assert.deepEqual(decodeFloats(encodeFloats(values)), values);
});

Deno.test("decodeFloats refuses text that is not base64", () => {
  assert.throws(() => decodeFloats("AA*A"), {
    name: "TypeError",
    message: "Invalid base64: the weights text is corrupted; re-export the model",
  });
});

Deno.test("decodeFloats refuses bytes that are not whole float32 values", () => {
  assert.throws(() => decodeFloats("AAA="), {
    name: "TypeError",
    message: "Invalid weights: 2 bytes is not a whole number of float32 values",
  });
});
