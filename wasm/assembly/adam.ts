// Adam (core/math/adam_rule.ts) on SIMD lanes: four float32 weights per f32x4.
// The arithmetic is the rule's float32 arithmetic, operation by operation
// (mul, add, sub, div and sqrt, each rounded to float32 as IEEE 754 and wasm
// require), so the result is bit-identical to the TypeScript loop: a backend
// may run it in place of the plugin, and a data-parallel update may split it
// anywhere. No fused multiply-add here, in either build.

/** p = p·decay − rate·m / (√(v·unbias) + eps), after m and v take the gradient g; `n` floats from each pointer. */
export function adam(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, beta2: f32, k1: f32, k2: f32, rate: f32, unbias: f32, decay: f32, eps: f32,
): void {
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2), c1 = f32x4.splat(k1);
  const c2 = f32x4.splat(k2), r = f32x4.splat(rate), u = f32x4.splat(unbias);
  const d = f32x4.splat(decay), e = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const g4 = v128.load(g + o);
    const m4 = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, g4));
    const v4 = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(f32x4.mul(c2, g4), g4));
    const step = f32x4.div(f32x4.mul(r, m4), f32x4.add(f32x4.sqrt(f32x4.mul(v4, u)), e));
    v128.store(m + o, m4);
    v128.store(v + o, v4);
    v128.store(p + o, f32x4.sub(f32x4.mul(v128.load(p + o), d), step));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    const gi = f32.load(g + o);
    const mi = beta1 * f32.load(m + o) + k1 * gi;
    const vi = beta2 * f32.load(v + o) + k2 * gi * gi;
    f32.store(m + o, mi);
    f32.store(v + o, vi);
    f32.store(p + o, f32.load(p + o) * decay - rate * mi / (Mathf.sqrt(vi * unbias) + eps));
  }
}
