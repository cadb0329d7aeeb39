import assert from "node:assert/strict";
import { adamConstants, adamSettings, adamUpdate } from "./adam_rule.ts";

/**
 * Adam in float32 written another way: every intermediate stored into a
 * Float32Array (the store rounds), where the rule under test uses Math.fround.
 */
function storedThroughFloat32(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  c: ReturnType<typeof adamConstants>,
) {
  const k = Float32Array.of(c.beta1, c.beta2, c.k1, c.k2, c.rate, c.unbias, c.decay, c.eps);
  const [beta1, beta2, k1, k2, rate, unbias, decay, eps] = k;
  const t = new Float32Array(4);
  for (let i = 0; i < p.length; i++) {
    t[0] = beta1 * m[i], t[1] = k1 * g[i], m[i] = t[0] + t[1];
    t[0] = beta2 * v[i], t[1] = k2 * g[i], t[1] = t[1] * g[i], v[i] = t[0] + t[1];
    t[0] = v[i] * unbias, t[0] = Math.sqrt(t[0]), t[0] = t[0] + eps;
    t[1] = rate * m[i], t[1] = t[1] / t[0];
    t[2] = p[i] * decay, p[i] = t[2] - t[1];
  }
}

/** Weights and gradients from 1e-30 to 1e3, both signs, and zeros. */
function probe(n: number, t: number) {
  const p = new Float32Array(n), g = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    p[i] = Math.sin(i) * 10 ** ((i % 7) - 3);
    g[i] = i % 13 === 0 ? 0 : Math.cos(i * t) * 10 ** ((i % 34) - 30);
  }
  return { p, g };
}

Deno.test("float32 weights take Adam's step in float32 arithmetic, each operation rounded", () => {
  const n = 4096, settings = adamSettings({ beta1: 0.85, weightDecay: 0.01 });
  const rule = [0, 0, 0].map(() => new Float32Array(n)),
    other = [0, 0, 0].map(() => new Float32Array(n));
  rule[0].set(probe(n, 0).p), other[0].set(probe(n, 0).p);
  for (const t of [1, 2, 3, 1000]) {
    const { g } = probe(n, t), c = adamConstants(settings, 3e-3, t);
    adamUpdate(rule[0], g, rule[1], rule[2], c);
    storedThroughFloat32(other[0], g, other[1], other[2], c);
  }
  for (let k = 0; k < 3; k++) {
    for (let i = 0; i < n; i++) {
      assert.ok(Object.is(rule[k][i], other[k][i]), `array ${k}, weight ${i}`);
    }
  }
});

Deno.test("float64 weights take Adam's step in float64 arithmetic, which differs in the last bits", () => {
  const n = 4096, c = adamConstants(adamSettings(), 1e-3, 1);
  const { p, g } = probe(n, 1);
  const wide = [Float64Array.from(p), new Float64Array(n), new Float64Array(n)];
  const narrow = [Float32Array.from(p), new Float32Array(n), new Float32Array(n)];
  adamUpdate(wide[0], Float64Array.from(g), wide[1], wide[2], c);
  adamUpdate(narrow[0], g, narrow[1], narrow[2], c);
  let differ = 0;
  for (let i = 0; i < n; i++) {
    const want = p[i] - c.rate * wide[1][i] / (Math.sqrt(wide[2][i] * c.unbias) + c.eps);
    assert.equal(wide[0][i], want, `weight ${i}`);
    if (Math.fround(wide[0][i]) !== narrow[0][i]) differ++;
  }
  assert.ok(differ > 0, "float32 arithmetic rounds differently somewhere");
});
