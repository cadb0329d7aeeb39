/**
 * Pictures of what a trained network does, computed where the data is (the
 * Worker) at the end of a run: a confusion matrix for classifiers, the
 * misclassified samples of image data sets, and per-layer histograms of the
 * pre-activations with the share of dead ReLU or saturated sigmoid/tanh units.
 *
 * @module
 */
import { forwardLayer } from "../core/math/forward.ts";
import { tsBackend } from "../core/math/kernels.ts";
import type { Network } from "../core/math/network.ts";
import type { Floats, Mat } from "../core/math/types.ts";
import { predict } from "../core/wasm/predict.ts";
import type { Arrays } from "./datasets/dataset.ts";

/** Counts of values in `counts.length` equal bins from `min` to `max`. */
export interface Histogram {
  readonly min: number;
  readonly max: number;
  readonly counts: number[];
}

/** One layer's pre-activations and how many of its units still pass a gradient. */
export interface LayerInsight {
  /** 1 for the first layer. */
  readonly layer: number;
  /** The activation's name, e.g. `"relu"`. */
  readonly activation: string;
  readonly units: number;
  /** Histogram of the pre-activations z = xW + b over every unit and sample. */
  readonly histogram: Histogram;
  /** ReLU only: the fraction of units that output 0 for every sample. */
  readonly dead?: number;
  /** Sigmoid and tanh only: the fraction of units saturated for every sample. */
  readonly saturated?: number;
}

/** A sample the network got wrong: its pixels (base64 of uint8, 0..255), true and predicted class. */
export interface Misclassified {
  readonly pixels: string;
  readonly label: number;
  readonly predicted: number;
}

/** What {@linkcode computeInsights} returns; the dashboard draws it on a run's card. */
export interface Insights {
  /** The samples it was computed on. */
  readonly set: "test" | "validation";
  /** Samples behind the histograms (at most `maxSamples`). */
  readonly samples: number;
  /** Classifiers: `counts[true][predicted]` over the whole set. */
  readonly confusion?: { readonly classes: number; readonly counts: number[][] };
  /** 28x28 image data sets (MNIST, Fashion-MNIST): up to `maxImages` misclassified samples. */
  readonly images?: {
    readonly width: number;
    readonly height: number;
    readonly misclassified: Misclassified[];
  };
  readonly layers: LayerInsight[];
}

/**
 * Counts `values` into `bins` equal bins between their smallest and largest
 * (non-finite values are skipped; equal values all land in the first bin).
 *
 * @example
 * ```ts
 * import { histogram } from "./insights.ts";
 * histogram([0, 1, 2, 3], 2); // { min: 0, max: 3, counts: [2, 2] }
 * ```
 */
export function histogram(values: ArrayLike<number>, bins = 40): Histogram {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`Invalid bins: ${bins} must be a whole number of at least 1`);
  }
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) min = Math.min(min, v), max = Math.max(max, v);
  }
  const counts = new Array<number>(bins).fill(0);
  if (min > max) return { min: 0, max: 0, counts };
  const width = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[width > 0 ? Math.min(bins - 1, Math.floor((v - min) / width)) : 0]++;
  }
  return { min, max, counts };
}

/**
 * The class of row `r` of a rows x `width` matrix: the largest column, or for
 * one column, 1 when it is at least 0.5 (a sigmoid output or a 0/1 target).
 *
 * @example
 * ```ts
 * import { classOf } from "./insights.ts";
 * classOf([0.1, 0.7, 0.2], 0, 3); // 1
 * classOf([0.3], 0, 1); // 0
 * ```
 */
export function classOf(data: ArrayLike<number>, r: number, width: number): number {
  if (width === 1) return data[r] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let c = 1; c < width; c++) if (data[r * width + c] > data[r * width + best]) best = c;
  return best;
}

/**
 * Counts `[true][predicted]` classes of `rows` outputs against their targets
 * (both rows x `width`; one column means two classes).
 *
 * @example
 * ```ts
 * import { confusionMatrix } from "./insights.ts";
 * confusionMatrix([0.9, 0.2, 0.8], [1, 0, 0], 3, 1); // [[1, 1], [0, 1]]
 * ```
 */
export function confusionMatrix(
  outputs: ArrayLike<number>,
  targets: ArrayLike<number>,
  rows: number,
  width: number,
): number[][] {
  const classes = width === 1 ? 2 : width;
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let r = 0; r < rows; r++) counts[classOf(targets, r, width)][classOf(outputs, r, width)]++;
  return counts;
}

/**
 * How many units of a layer no longer learn, from its outputs `y` (samples x
 * units): for `relu`, the fraction outputting 0 for every sample (`dead`); for
 * `sigmoid` (below 0.01 or above 0.99) and `tanh` (|y| above 0.99), the
 * fraction saturated for every sample (`saturated`). Other activations: `{}`.
 *
 * @example
 * ```ts
 * import { unitFractions } from "./insights.ts";
 * const y = { data: new Float32Array([0, 1, 0, 0]), rows: 2, cols: 2 };
 * unitFractions(y, "relu"); // { dead: 0.5 }
 * ```
 */
export function unitFractions(y: Mat, activation: string): { dead?: number; saturated?: number } {
  const stuck = activation === "relu"
    ? (v: number) => v === 0
    : activation === "sigmoid"
    ? (v: number) => v < 0.01 || v > 0.99
    : activation === "tanh"
    ? (v: number) => Math.abs(v) > 0.99
    : undefined;
  if (!stuck || y.rows === 0 || y.cols === 0) return {};
  let units = 0;
  for (let c = 0; c < y.cols; c++) {
    let all = true;
    for (let r = 0; r < y.rows && all; r++) all = stuck(y.data[r * y.cols + c]);
    if (all) units++;
  }
  const fraction = units / y.cols;
  return activation === "relu" ? { dead: fraction } : { saturated: fraction };
}

/**
 * Row `r` of `x` (`length` values) as base64 bytes, stretched to 0..255
 * between its own smallest and largest value (so standardized pixels show).
 *
 * @example
 * ```ts
 * import { pixelsBase64 } from "./insights.ts";
 * pixelsBase64([0, 0.5, 1], 0, 3); // "AID/" (bytes 0, 128, 255)
 * ```
 */
export function pixelsBase64(x: ArrayLike<number>, r: number, length: number): string {
  let min = Infinity, max = -Infinity;
  for (let i = r * length; i < (r + 1) * length; i++) {
    min = Math.min(min, x[i]), max = Math.max(max, x[i]);
  }
  const span = max - min || 1;
  let text = "";
  for (let i = r * length; i < (r + 1) * length; i++) {
    text += String.fromCharCode(Math.round(((x[i] - min) / span) * 255));
  }
  return btoa(text);
}

/** Runs `rows` rows of `x` forward, returning every layer's z and y. */
function forwardAll(network: Network, x: Floats, rows: number): { z: Mat; y: Mat }[] {
  let input: Mat = { data: x, rows, cols: network.inputs };
  return network.layers.map((layer) => {
    const f64 = layer.weights instanceof Float64Array;
    const alloc = (n: number): Floats => (f64 ? new Float64Array(n) : new Float32Array(n));
    const z = { data: alloc(rows * layer.units), rows, cols: layer.units };
    const y = { data: alloc(rows * layer.units), rows, cols: layer.units };
    forwardLayer(tsBackend, layer, { x: input, z, y });
    input = y;
    return { z, y };
  });
}

/** Rows per forward pass of the confusion matrix (a few MB of inputs at 784 per row). */
const PREDICT_ROWS = 2048;

/** Options of {@linkcode computeInsights}. */
export interface InsightOptions {
  /** Which set `data` is (default `"test"`). */
  set?: "test" | "validation";
  /** A classifier: compute the confusion matrix (and misclassified images). */
  classifier: boolean;
  /** Samples behind the histograms (default 512). */
  maxSamples?: number;
  /** Histogram bins (default 40). */
  bins?: number;
  /** Misclassified images kept (default 16). */
  maxImages?: number;
}

/**
 * Computes a trained network's {@linkcode Insights} on held-out samples,
 * without touching its weights. Images are kept for 784-input data (28x28).
 *
 * @example
 * ```ts ignore
 * const insights = computeInsights(job.network, dataset.test, { classifier: true });
 * insights.confusion?.counts; // e.g. [[10, 0, 0], [0, 9, 1], [0, 0, 10]]
 * ```
 */
export function computeInsights(network: Network, data: Arrays, options: InsightOptions): Insights {
  const { set = "test", classifier, maxSamples = 512, bins = 40, maxImages = 16 } = options;
  const first = Math.min(data.rows, maxSamples);
  const layers = forwardAll(network, data.x.subarray(0, first * data.inputs), first).map(
    ({ z, y }, i): LayerInsight => ({
      layer: i + 1,
      activation: network.layers[i].activation.name,
      units: z.cols,
      histogram: histogram(z.data, bins),
      ...unitFractions(y, network.layers[i].activation.name),
    }),
  );
  if (!classifier) return { set, samples: first, layers };
  const width = data.outputs, image = data.inputs === 28 * 28;
  const counts = confusionMatrix([], [], 0, width);
  const misclassified: Misclassified[] = [];
  // The outputs alone, in blocks of rows: WebAssembly SIMD where the runtime has it.
  for (let start = 0; start < data.rows; start += PREDICT_ROWS) {
    const rows = Math.min(PREDICT_ROWS, data.rows - start);
    const x = data.x.subarray(start * data.inputs, (start + rows) * data.inputs);
    const out = predict(network, { data: x, rows, cols: data.inputs }).data;
    const t = data.y.subarray(start * width, (start + rows) * width);
    for (let r = 0; r < rows; r++) {
      const label = classOf(t, r, width), predicted = classOf(out, r, width);
      counts[label][predicted]++;
      if (image && label !== predicted && misclassified.length < maxImages) {
        misclassified.push({ pixels: pixelsBase64(x, r, data.inputs), label, predicted });
      }
    }
  }
  return {
    set,
    samples: first,
    confusion: { classes: counts.length, counts },
    ...(image ? { images: { width: 28, height: 28, misclassified } } : {}),
    layers,
  };
}
