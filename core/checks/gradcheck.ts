/**
 * Gradient checks the registry runs on plugins at registration: analytic
 * derivatives against central finite differences, in float64, at fixed probes.
 * @module
 */
import { scalarRule } from "../math/elementwise.ts";
import { createRng } from "../math/rng.ts";
import type { ActivationPlugin, Floats, LossPlugin, Mat } from "../math/types.ts";

/** What a {@linkcode GradPoint} compared. */
export type GradCheck = "derivative" | "gradient" | "fused gradient" | "fused loss" | "chain rule";

/** One comparison of a declared value with a measured one. */
export interface GradPoint {
  /** What was compared; `"chain rule"`: fused gradient vs loss gradient through the activation. */
  readonly check: GradCheck;
  /** The input probed (for `"fused loss"`: the first z of the row). */
  readonly x: number;
  /** What the plugin computed. */
  readonly declared: number;
  /** What finite differences (or the unfused path) gave. */
  readonly measured: number;
  /** |declared - measured| / max(|declared|, |measured|, atol / rtol). */
  readonly relError: number;
}

/** Result of a gradient check. */
export interface GradReport {
  /** True when no comparison failed. */
  readonly ok: boolean;
  /** Number of comparisons made. */
  readonly checked: number;
  /** Points skipped because the function has a kink right there. */
  readonly skipped: number;
  /** The worst failure, or the worst comparison if none failed. */
  readonly worst: GradPoint | null;
  /** Every failed comparison. */
  readonly failures: readonly GradPoint[];
}

/** Options of the checks; `activation` and `targets` concern losses only. */
export interface GradCheckOptions {
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
  /** Absolute tolerance (default 1e-7). */
  atol?: number;
  /** Seed of the random rows and targets (default 1). */
  seed?: number;
  /** The activation named by `fused.activation`; a loss's fused path is checked only when given. */
  activation?: ActivationPlugin;
  /** Targets: reals in [-2, 2], one-hot rows or 0/1 (default: from the loss's `input`). */
  targets?: "values" | "onehot" | "binary";
}

/** Near 0 (avoiding the kink at 0 itself), moderate, and saturated up to 50. */
const HALF = [1e-3, 0.05, 0.3, 0.5, 0.75, 1.25, 2, 3, 6, 10, 20, 50];
const GRID = [...HALF.map((x) => -x).reverse(), ...HALF];
const ROW_SCALES = [1e-3, 0.1, 0.5, 1, 2, 5, 10, 50];
const mat = (data: Floats, rows: number, cols: number): Mat => ({ data, rows, cols });
const zeros = (m: Mat): Mat => mat(new Float64Array(m.rows * m.cols), m.rows, m.cols);
/** σ(x) kept within σ(±12), well inside the clamps losses apply to probabilities. */
const probability = (x: number): number => 1 / (1 + Math.exp(-Math.max(-12, Math.min(12, x))));

type Tally = ReturnType<typeof tally>;

function tally({ rtol = 1e-4, atol = 1e-7 }: GradCheckOptions) {
  const points: GradPoint[] = [], failures: GradPoint[] = [];
  const worst = (ps: GradPoint[]) =>
    ps.reduce<GradPoint | null>((w, p) => (w && !(p.relError > w.relError) ? w : p), null);
  return {
    atol,
    skipped: 0,
    add(check: GradCheck, x: number, declared: number, measured: number, noise = 0): void {
      const err = Math.abs(declared - measured);
      const scale = Math.max(Math.abs(declared), Math.abs(measured));
      const point = { check, x, declared, measured, relError: err / Math.max(scale, atol / rtol) };
      points.push(point);
      if (!(err <= atol + rtol * scale + noise)) failures.push(point); // NaN fails too
    },
    report(): GradReport {
      const { length: checked } = points, ok = failures.length === 0;
      return { ok, checked, skipped: this.skipped, worst: worst(ok ? points : failures), failures };
    },
  };
}

type Grad = (m: Mat, out: Mat) => void;
type Fn = (m: Mat, i: number) => number;

/**
 * Compares `grad(m)` with central differences of `f(m, i)` at every element i
 * of `m`. A point where the one-sided slopes disagree is a kink and is skipped;
 * `noise` bounds the rounding error of the differences.
 */
function sweep(c: Tally, check: GradCheck, m: Mat, grad: Grad, f: Fn, probs = false): void {
  const out = zeros(m), p = new Float64Array(m.rows * m.cols);
  grad(m, out);
  for (let i = 0; i < p.length; i++) {
    const x = m.data[i];
    const h = probs ? Math.min(1e-5, 1e-4 * Math.min(x, 1 - x)) : 1e-5 * Math.max(1, Math.abs(x));
    const at = (d: number) => (p.set(m.data), p[i] = x + d, f(mat(p, m.rows, m.cols), i));
    const fp = at(h), fm = at(-h), f0 = at(0);
    const noise = 16 * Number.EPSILON * Math.max(Math.abs(fp), Math.abs(fm), Math.abs(f0)) / h;
    const fwd = (fp - f0) / h, bwd = (f0 - fm) / h;
    if (Math.abs(fwd - bwd) > 1e-2 * Math.max(Math.abs(fwd), Math.abs(bwd)) + 4 * noise + c.atol) {
      c.skipped++;
    } else c.add(check, x, out.data[i], (fp - fm) / (2 * h), noise);
  }
}

/**
 * Checks an activation's derivative against finite differences in float64.
 * Element-wise ones with a scalar `f` and `df`: df against differences of f
 * at a grid of points from ±1e-3 to ±50 (that forward and backward compute f
 * and df is the registry's scalar check). Others (row-wise, softmax):
 * `backward` against differences of `forward` on seeded random rows (scales
 * 1e-3 to 50) with a random dy.
 *
 * @example
 * ```ts
 * import { checkActivationGradient } from "./gradcheck.ts";
 * import { elementwise } from "../math/elementwise.ts";
 * const cube = elementwise({ name: "cube", f: (x) => x ** 3, df: (x) => 3 * x });
 * checkActivationGradient(cube).ok; // false: the derivative should be 3x²
 * ```
 */
export function checkActivationGradient(
  plugin: ActivationPlugin,
  options: GradCheckOptions = {},
): GradReport {
  const c = tally(options), rng = createRng(options.seed ?? 1), cols = plugin.rowwise ? 5 : 1;
  // Element-wise ones: the rule f, df itself (the scalar check proves the loops compute it).
  const { forward, backward } = float64Rule(plugin);
  const values = plugin.rowwise
    ? ROW_SCALES.flatMap((s) => Array.from({ length: cols }, () => s * rng.normal()))
    : GRID;
  const z = mat(Float64Array.from(values), values.length / cols, cols), y = zeros(z);
  const dy = mat(z.data.map(() => (plugin.rowwise ? rng.normal() : 1)), z.rows, cols);
  const grad = (z: Mat, dz: Mat) => (forward(z, y), backward({ z, y, dy, dz }));
  sweep(c, "derivative", z, grad, (z, i) => {
    forward(z, y);
    let s = 0; // the row of element i is all it can change
    for (let j = i - (i % cols); j < i - (i % cols) + cols; j++) s += dy.data[j] * y.data[j];
    return s;
  });
  return c.report();
}

/**
 * The activation's rule for float64 checks: an element-wise one's scalar f
 * and df (which its loops provably compute), so that its loops only ever see
 * the float32 arrays of training; a row-wise one's own forward and backward.
 */
function float64Rule(act: ActivationPlugin): Pick<ActivationPlugin, "forward" | "backward"> {
  const rule = scalarRule(act);
  if (!rule?.df) return act;
  const { f, df } = rule;
  return {
    forward: (z, y) => z.data.forEach((v, i) => (y.data[i] = f(v))),
    backward: ({ z, y, dy, dz }) =>
      z.data.forEach((v, i) => (dz.data[i] = dy.data[i] * df(v, y.data[i]))),
  };
}

/**
 * Checks a loss's `gradient` against finite differences of its `loss`, on
 * 8 x 3 batches: values and logits from ±1e-3 to ±50, probabilities σ of those
 * (saturating at σ(±12)). With `options.activation`, also checks the fused
 * path: `fused.gradient` against finite differences of `fused.loss`, and, on
 * moderate inputs, `fused.loss` against the loss of the activation's output
 * and `fused.gradient` against the chain rule through the activation.
 *
 * @example
 * ```ts
 * import { checkLossGradient } from "./gradcheck.ts";
 * import type { LossPlugin } from "../math/types.ts";
 * const sse: LossPlugin = {
 *   kind: "loss", name: "sse", input: "values",
 *   loss: ({ y, t }) => Array.from(y.data, (v, i) => (v - t.data[i]) ** 2).reduce((a, b) => a + b),
 *   gradient: ({ y, t }, dy) => y.data.forEach((v, i) => (dy.data[i] = v - t.data[i])),
 * };
 * checkLossGradient(sse).ok; // false: the gradient is off by a factor 2
 * ```
 */
export function checkLossGradient(plugin: LossPlugin, options: GradCheckOptions = {}): GradReport {
  const c = tally(options), rng = createRng(options.seed ?? 1), cols = 3;
  const { fused, input } = plugin, act = options.activation, probs = input === "probabilities";
  const kind = options.targets ??
    (input === "values" ? "values" : fused?.activation === "sigmoid" ? "binary" : "onehot");
  const make = (f: (x: number, i: number) => number) =>
    mat(Float64Array.from(GRID, f), GRID.length / cols, cols);
  const target = {
    values: () => 4 * rng.float() - 2,
    binary: () => rng.int(2),
    onehot: (i: number) => Number(i % cols === Math.floor(i / cols) % cols),
  }[kind];
  const t = make((_, i) => target(i));
  const y = make((x) => (probs ? probability(x) : x));
  const loss = (y: Mat) => plugin.loss({ y, t });
  sweep(c, "gradient", y, (y, dy) => plugin.gradient({ y, t }, dy), loss, probs);
  if (!fused || !act) return c.report();
  if (act.name !== fused.activation) {
    const got = `expected "${fused.activation}" but got "${act.name}"`;
    throw new TypeError(`Wrong activation for the fused path of ${plugin.name}: ${got}`);
  }
  const { forward, backward } = float64Rule(act);
  const fusedGrad = (z: Mat, dz: Mat) => (forward(z, y), fused.gradient(z, y, t, dz));
  sweep(c, "fused gradient", make((x) => x), fusedGrad, (z) => fused.loss(z, t));
  const z = make((x) => x / 5), yz = zeros(z), dy = zeros(z), chain = zeros(z), direct = zeros(z);
  forward(z, yz);
  const row = (m: Mat, r: number) => mat(m.data.slice(r * cols, r * cols + cols), 1, cols);
  for (let r = 0; r < z.rows; r++) {
    const zr = row(z, r), tr = row(t, r);
    c.add("fused loss", zr.data[0], fused.loss(zr, tr), plugin.loss({ y: row(yz, r), t: tr }));
  }
  plugin.gradient({ y: yz, t }, dy);
  backward({ z, y: yz, dy, dz: chain });
  fused.gradient(z, yz, t, direct);
  z.data.forEach((x, i) => c.add("chain rule", x, direct.data[i], chain.data[i]));
  return c.report();
}

/** For each check: what was declared, and where the measured value came from. */
const WORDS: Record<GradCheck, readonly [string, string]> = {
  derivative: ["derivative", "finite differences give"],
  gradient: ["gradient", "finite differences give"],
  "fused gradient": ["fused gradient", "finite differences of the fused loss give"],
  "fused loss": ["fused loss", "the unfused loss gives"],
  "chain rule": ["fused gradient", "the chain rule through the activation gives"],
};

/**
 * One line for humans about a failed comparison.
 *
 * @example
 * ```ts
 * import { formatGradFailure } from "./gradcheck.ts";
 * const p = { check: "derivative", x: 0.5, declared: 0.12, measured: 0.74, relError: 0.84 } as const;
 * formatGradFailure("myorg/swish", p);
 * // 'derivative of "myorg/swish" at x = 0.5 is 0.12 but finite differences give 0.74'
 * ```
 */
export function formatGradFailure(name: string, point: GradPoint): string {
  const num = (v: number) => String(Number(v.toPrecision(4)));
  const [what, source] = WORDS[point.check];
  return `${what} of "${name}" at x = ${num(point.x)} is ${num(point.declared)} but ${source} ${
    num(point.measured)
  }`;
}
