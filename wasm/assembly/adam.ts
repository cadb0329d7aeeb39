// Adam (core/math/adam_rule.ts) on SIMD lanes: two weights per f64x2, four per
// iteration. The arithmetic is the rule's own float64 arithmetic, operation by
// operation (f32 loads widened, f64 mul/add/sqrt/div, rounded to f32 on
// store), so the result is bit-identical to the TypeScript loop: a backend may
// run it in place of the plugin, and a data-parallel update may split it
// anywhere. No fused multiply-add here, in either build.

/** p = p·decay − rate·m / (√(v·unbias) + eps), after m and v take the gradient g; `n` floats from each pointer. */
export function adam(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f64, beta2: f64, k1: f64, k2: f64, rate: f64, unbias: f64, decay: f64, eps: f64,
): void {
  const b1 = f64x2.splat(beta1), b2 = f64x2.splat(beta2), c1 = f64x2.splat(k1);
  const c2 = f64x2.splat(k2), r = f64x2.splat(rate), u = f64x2.splat(unbias);
  const d = f64x2.splat(decay), e = f64x2.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const g4 = v128.load(g + o), m4 = v128.load(m + o), v4 = v128.load(v + o), p4 = v128.load(p + o);
    // Low and high halves, each two lanes of f64.
    const gl = f64x2.promote_low_f32x4(g4), gh = f64x2.promote_low_f32x4(v128.shuffle<f32>(g4, g4, 2, 3, 0, 1));
    const ml = f64x2.add(f64x2.mul(b1, f64x2.promote_low_f32x4(m4)), f64x2.mul(c1, gl));
    const mh = f64x2.add(
      f64x2.mul(b1, f64x2.promote_low_f32x4(v128.shuffle<f32>(m4, m4, 2, 3, 0, 1))), f64x2.mul(c1, gh),
    );
    const vl = f64x2.add(f64x2.mul(b2, f64x2.promote_low_f32x4(v4)), f64x2.mul(f64x2.mul(c2, gl), gl));
    const vh = f64x2.add(
      f64x2.mul(b2, f64x2.promote_low_f32x4(v128.shuffle<f32>(v4, v4, 2, 3, 0, 1))),
      f64x2.mul(f64x2.mul(c2, gh), gh),
    );
    const pl = f64x2.sub(
      f64x2.mul(f64x2.promote_low_f32x4(p4), d),
      f64x2.div(f64x2.mul(r, ml), f64x2.add(f64x2.sqrt(f64x2.mul(vl, u)), e)),
    );
    const ph = f64x2.sub(
      f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(p4, p4, 2, 3, 0, 1)), d),
      f64x2.div(f64x2.mul(r, mh), f64x2.add(f64x2.sqrt(f64x2.mul(vh, u)), e)),
    );
    v128.store(m + o, join(ml, mh));
    v128.store(v + o, join(vl, vh));
    v128.store(p + o, join(pl, ph));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    const gi = <f64>f32.load(g + o);
    const mi = beta1 * <f64>f32.load(m + o) + k1 * gi;
    const vi = beta2 * <f64>f32.load(v + o) + k2 * gi * gi;
    f32.store(m + o, <f32>mi);
    f32.store(v + o, <f32>vi);
    f32.store(p + o, <f32>(<f64>f32.load(p + o) * decay - rate * mi / (Math.sqrt(vi * unbias) + eps)));
  }
}

/** Four f32 lanes from two f64x2 halves, each rounded to nearest. */
// @ts-ignore: decorator
@inline function join(low: v128, high: v128): v128 {
  const a = f32x4.demote_f64x2_zero(low), b = f32x4.demote_f64x2_zero(high);
  return v128.shuffle<f32>(a, b, 0, 1, 4, 5);
}
