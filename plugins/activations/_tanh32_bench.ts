// tanh over a 64x128 float32 layer: Math.tanh per element against tanh32.
import { tanh32 } from "./_tanh32.ts";

const n = 64 * 128;
const z = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3), y = new Float32Array(n);
const group = "tanh, 64x128 float32 layer";

Deno.bench("Math.tanh", { group, baseline: true }, () => {
  for (let i = 0; i < n; i++) y[i] = Math.tanh(z[i]);
});
Deno.bench("tanh32", { group }, () => {
  for (let i = 0; i < n; i++) y[i] = tanh32(z[i]);
});
