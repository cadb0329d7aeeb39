import type { ActivationPlugin, InitName, PluginParams } from "./types.ts";

/** Options of {@linkcode elementwise}. */
export interface ElementwiseOptions {
  /** Name stored in model files, e.g. `"relu"` or `"myorg/swish"`. */
  name: string;
  /** The activation h(x). */
  f: (x: number) => number;
  /** Its derivative h'(x), given x and y = h(x) (use whichever is cheaper). */
  df: (x: number, y: number) => number;
  /** Version of the math, stored in model files. */
  version?: string;
  /** True when outputs lie in (0, 1) and may be read as probabilities. */
  probabilities?: boolean;
  /** Preferred weight init (He for the ReLU family, Glorot otherwise). */
  init?: InitName;
  /** A standard form backends can fuse into the matrix product (see `ActivationPlugin.kernel`). */
  kernel?: "relu";
  /** Numeric parameters the plugin was made with. */
  params?: PluginParams;
  /** Remakes the plugin with other parameters. */
  configure?: (params: PluginParams) => ActivationPlugin;
  /** The formula, for humans. */
  description?: string;
  /**
   * Optional: the same h as one loop over a batch, with the math written in
   * the loop. The default loop calls `f` per element through a closure that
   * every element-wise plugin shares, which V8 cannot inline once several
   * activations are in use; a hand-written loop runs ~2x faster on small
   * layers. The registry checks that it agrees with `f`.
   */
  forward?: ActivationPlugin["forward"];
  /** Optional: the same h' as one loop (`dz = dy · h'(z)`); checked against `df`. */
  backward?: ActivationPlugin["backward"];
}

/**
 * Builds an element-wise activation from a scalar `f(x)` and its derivative, the
 * way the theory writes h and h'.
 *
 * @example
 * ```ts
 * import { elementwise } from "./elementwise.ts";
 * const square = elementwise({ name: "square", f: (x) => x * x, df: (x) => 2 * x });
 * const y = { data: new Float32Array(2), rows: 1, cols: 2 };
 * square.forward({ data: new Float32Array([3, -1]), rows: 1, cols: 2 }, y);
 * // y.data is [9, 1]
 * ```
 */
export function elementwise(options: ElementwiseOptions): ActivationPlugin {
  const { f, df } = options;
  return {
    kind: "activation",
    name: options.name,
    version: options.version ?? "1.0.0",
    ...(options.params ? { params: options.params } : {}),
    ...(options.configure ? { configure: options.configure } : {}),
    ...(options.probabilities ? { probabilities: true } : {}),
    ...(options.init ? { init: options.init } : {}),
    ...(options.kernel ? { kernel: options.kernel } : {}),
    ...(options.description ? { description: options.description } : {}),
    f,
    df,
    forward: options.forward ?? function forward(z, y) {
      const zd = z.data, yd = y.data, n = z.rows * z.cols;
      for (let i = 0; i < n; i++) yd[i] = f(zd[i]);
    },
    backward: options.backward ?? function backward({ z, y, dy, dz }) {
      const zd = z.data, yd = y.data, gd = dy.data, out = dz.data, n = z.rows * z.cols;
      for (let i = 0; i < n; i++) out[i] = gd[i] * df(zd[i], yd[i]);
    },
  };
}

/** An element-wise activation's scalar rule: h and, when given, h'. */
export interface ScalarRule {
  readonly f: (x: number) => number;
  readonly df?: (x: number, y: number) => number;
}

/**
 * The scalar rule of an element-wise activation (one with `f` that is not
 * row-wise), else undefined. The checks run float64 probes through it rather
 * than through the plugin's batch loops, which only ever see the float32
 * arrays of training (loops that also saw float64 arrays stay slower in V8);
 * the scalar check proves that the loops compute it.
 *
 * @example
 * ```ts
 * import { relu } from "../../plugins/activations/relu.ts";
 * import { scalarRule } from "./elementwise.ts";
 * scalarRule(relu)?.f(-2); // 0
 * ```
 */
export function scalarRule(plugin: ActivationPlugin): ScalarRule | undefined {
  const { f, df } = plugin;
  if (!f || plugin.rowwise) return undefined;
  return df ? { f, df } : { f };
}
