import assert from "node:assert/strict";
import { tanh32 } from "./_tanh32.ts";
import { tanh } from "./tanh.ts";

const f32 = new Float32Array(1), i32 = new Int32Array(f32.buffer);
/** A float32's bit pattern as an integer, to count ulps between two float32 values. */
const bits = (v: number): number => (f32[0] = v, i32[0]);

Deno.test("tanh32 rounded to float32 is within one ulp of Math.tanh rounded to float32", () => {
  const x = new Float32Array(1), xi = new Int32Array(x.buffer);
  let differ = 0, n = 0;
  // Every 331st float32 from 0 up to past the clamp, and their negatives: 6.5 million inputs.
  for (let b = 0, end = bits(12); b <= end; b += 331) {
    xi[0] = b;
    for (const v of [x[0], -x[0]]) {
      const ulps = Math.abs(bits(tanh32(v)) - bits(Math.tanh(v)));
      assert.ok(ulps <= 1, `tanh32(${v}) is ${ulps} ulps from Math.tanh`);
      if (ulps) differ++;
      n++;
    }
  }
  assert.ok(differ / n < 0.05, `${differ} of ${n} differ`);
});

Deno.test("tanh32 keeps the edge cases: ±1 beyond the clamp, -0, NaN", () => {
  for (const v of [9.1, 10, 1e4, Infinity]) {
    assert.equal(Math.fround(tanh32(v)), 1);
    assert.equal(Math.fround(tanh32(-v)), -1);
  }
  assert.ok(Object.is(tanh32(-0), -0));
  assert.ok(Object.is(tanh32(0), 0));
  assert.ok(Number.isNaN(tanh32(NaN)));
  assert.equal(tanh32(1e-30), 1e-30 * 0.9999999772532344); // tanh x ≈ x near 0, to float32 precision
});

Deno.test("tanh runs tanh32 on float32 layers and Math.tanh on float64 ones", () => {
  const values = [-3, -0.7, 0.001, 0.5, 2], cols = values.length;
  const y32 = { data: new Float32Array(cols), rows: 1, cols };
  tanh.forward({ data: Float32Array.from(values), rows: 1, cols }, y32);
  assert.deepEqual(y32.data, Float32Array.from(values, (v) => tanh32(Math.fround(v))));
  const y64 = { data: new Float64Array(cols), rows: 1, cols };
  tanh.forward({ data: Float64Array.from(values), rows: 1, cols }, y64);
  assert.deepEqual(y64.data, Float64Array.from(values, Math.tanh));
});
