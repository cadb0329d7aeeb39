import type { Layer, Network } from "../math/network.ts";
import type { StandardizeState } from "./standardize.ts";

/** Per-feature mean and standard deviation, as `standardize()` learns them. */
export interface Standardization {
  /** What is subtracted from each input, one finite number per network input. */
  readonly mean: readonly number[];
  /** What each centred input is divided by, one per network input; up to 1e-12 counts as 1. */
  readonly std: readonly number[];
}

/** The same cut-off as `standardize()`: a constant feature keeps std 1. */
const MIN_STD = 1e-12;

function checked(network: Network, { mean, std }: Standardization): Float64Array[] {
  if (mean?.length !== network.inputs || std?.length !== network.inputs) {
    throw new TypeError(
      `Invalid standardization: need mean and std for ${network.inputs} inputs, got ${mean?.length} and ${std?.length}; pass the state standardize() learned for this network`,
    );
  }
  const m = Float64Array.from(mean), s = Float64Array.from(std);
  for (let i = 0; i < m.length; i++) {
    if (!Number.isFinite(m[i])) {
      throw new RangeError(`Invalid standardization mean[${i}]: ${mean[i]} is not a finite number`);
    }
    if (!(s[i] >= 0) || s[i] === Infinity) {
      throw new RangeError(
        `Invalid standardization std[${i}]: ${std[i]} must be a finite number of 0 or more`,
      );
    }
    if (s[i] <= MIN_STD) s[i] = 1;
  }
  return [m, s];
}

const copyLayer = (l: Layer): Layer => ({ ...l, weights: l.weights.slice(), bias: l.bias.slice() });

/**
 * A new network that takes raw inputs and answers what `network` answers for
 * the same inputs after standardization x' = (x - mean) / std: the first
 * layer absorbs the scaling, W'[i][j] = W[i][j] / std[i] and
 * b'[j] = b[j] - Σ_i (mean[i] / std[i]) W[i][j]. A std of 0 (or up to 1e-12)
 * counts as 1, as in `standardize()`. Every layer is copied; `network` is
 * left unchanged.
 *
 * Use it to ship a model trained with the `standardize()` prepare step, so
 * that `predict` and the edge handler can take raw rows. Float32 weights
 * lose some precision when a feature's |mean| / std is large (around 1e4 and
 * up); keep such a model unfolded and standardize its inputs instead.
 *
 * @example
 * ```ts
 * import { foldStandardize } from "./fold_standardize.ts";
 * import { predict } from "../math/predict.ts";
 * import type { ActivationPlugin } from "../math/types.ts";
 * const identity: ActivationPlugin = {
 *   kind: "activation",
 *   name: "identity",
 *   forward: (z, y) => y.data.set(z.data),
 *   backward: ({ dy, dz }) => dz.data.set(dy.data),
 * };
 * const network = {
 *   spec: { inputs: 1, layers: [{ units: 1 }] },
 *   inputs: 1,
 *   outputs: 1,
 *   layers: [{
 *     inputs: 1,
 *     units: 1,
 *     activation: identity,
 *     weights: new Float32Array([2]),
 *     bias: new Float32Array([1]),
 *   }],
 * };
 * const raw = foldStandardize(network, { mean: [10], std: [4] });
 * // 2 * (14 - 10) / 4 + 1 = 3
 * predict(raw, { data: new Float32Array([14]), rows: 1, cols: 1 }).data; // [3]
 * ```
 */
export function foldStandardize(network: Network, state: Standardization): Network {
  const [mean, std] = checked(network, state);
  const layers = network.layers.map(copyLayer);
  const first = layers[0], w = first.weights, b = first.bias, units = first.units;
  const shift = new Float64Array(units);
  for (let i = 0; i < first.inputs; i++) {
    const row = i * units;
    for (let j = 0; j < units; j++) {
      shift[j] += (mean[i] / std[i]) * w[row + j];
      w[row + j] /= std[i];
    }
  }
  for (let j = 0; j < units; j++) b[j] -= shift[j];
  return { ...network, layers };
}

function isNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === "number");
}

/**
 * The `{ mean, std }` that `standardize()` learned, picked out of the
 * trainer's prepared states: the start event's `prepared` field (one entry
 * per prepare step, in option order, null for steps that learn nothing), or
 * the same list saved in a model's `training.prepared` or a checkpoint's
 * `prepare`. Undefined when no step standardized; a TypeError when several
 * did, since which one comes first is then unknown here.
 *
 * @example
 * ```ts
 * import { standardizeState } from "./fold_standardize.ts";
 * standardizeState([{ mean: [2], std: [0.5] }, null]); // { mean: [2], std: [0.5] }
 * standardizeState(undefined); // undefined
 * ```
 */
export function standardizeState(prepared: unknown): StandardizeState | undefined {
  if (prepared === undefined || prepared === null) return undefined;
  if (!Array.isArray(prepared)) {
    throw new TypeError(
      "Invalid prepared state: expected a list with one entry per prepare step; pass the start event's prepared field",
    );
  }
  const found = prepared.filter((p): p is StandardizeState =>
    typeof p === "object" && p !== null && isNumbers(p.mean) && isNumbers(p.std)
  );
  if (found.length > 1) {
    throw new TypeError(
      `Invalid prepared state: ${found.length} steps standardized the inputs; fold each with foldStandardize, the last step first`,
    );
  }
  return found[0];
}
