/**
 * Backpropagation: the forward pass of a batch, its loss, and the chain rule
 * back through every layer to the gradient of each weight and bias.
 *
 * For layer i with input x, pre-activation z = x·W + b and output y = h(z):
 * - the output layer starts from dL/dy (the loss's gradient), or straight
 *   from dL/dz when the loss fuses with the output activation (softmax +
 *   cross-entropy: (y - t) / n);
 * - dL/dz = h'(z) ⊙ dL/dy (the activation's `backward`);
 * - dL/dW = xᵀ · dL/dz and dL/db = Σ_rows dL/dz, plus λ·W with L2 decay;
 * - dL/dx = dL/dz · Wᵀ, which is the previous layer's dL/dy.
 *
 * @module
 */
import type { Backend, GemmDims } from "./backend.ts";
import { checkBatch } from "./check_batch.ts";
import { forwardLayer } from "./forward.ts";
import { reluKernel } from "./kernel_trust.ts";
import { tsBackend } from "./kernels.ts";
import { countCorrect } from "./metrics.ts";
import { type Network, parameters } from "./network.ts";
import type { ActivationGrad, Batch, Floats, LossPlugin, Mat, Mutable } from "./types.ts";

/** Options of {@linkcode createGradientStep}. */
export interface GradientStepOptions {
  /** Differentiated as its batch mean; it must suit the output activation (train() checks that, see checks/pairing.ts). */
  loss: LossPlugin;
  /** Largest batch this step takes; buffers are sized for it once. */
  batchSize: number;
  /** L2 weight decay λ: adds λ·W to every weight gradient (biases are not decayed). */
  l2?: number;
  /** Matrix kernels (default: the pure TypeScript backend). */
  backend?: Backend;
}

/** Per-call options of {@linkcode GradientStep.gradients}. */
export interface GradientOptions {
  /**
   * false: skip the first layer's weight and bias gradients, leaving them as
   * they were, for a caller that computes them itself from
   * {@linkcode GradientStep.firstDelta} (a data-parallel step does, over the
   * whole batch at once). Default true.
   */
  readonly firstLayer?: boolean;
}

/** Forward and backward passes for one network, with every buffer allocated once. */
export interface GradientStep {
  /** The network; with a backend other than TypeScript, its weights now live in the backend's memory. */
  readonly network: Network;
  /** Most rows a batch may have: the buffers are sized for it. */
  readonly batchSize: number;
  /** The kernels the step runs (float64 networks always use the TypeScript ones). */
  readonly backend: Backend;
  /** Allocates floats where the step's kernels read them (the backend's memory). */
  readonly alloc: (n: number) => Floats;
  /** Gradients of the last `gradients()` call, in `parameters(network)` order. */
  readonly grads: readonly Floats[];
  /** dL/dz of the first layer for the rows of the last `gradients()` call (rows x units). */
  readonly firstDelta: Floats;
  /** Rows the last `gradients()` predicted right (arg-max, or 0.5 threshold for one output). */
  readonly lastCorrect: number;
  /** Forward + backward: fills `grads`, returns the batch's mean loss. */
  gradients(batch: Batch, options?: GradientOptions): number;
  /** Mean loss and correct count over any number of rows, without touching the weights. */
  evaluate(batch: Batch): { loss: number; correct: number };
}

/**
 * L2 decay's share of dL/dW: a function that adds λ·W to a weight gradient
 * (to any slice of it, given the same slice of the weights), or undefined
 * when λ is 0.
 *
 * @example
 * ```ts
 * import { l2Gradient } from "./backward.ts";
 * const grad = new Float32Array([1, 1]);
 * l2Gradient(0.5)?.(grad, new Float32Array([2, -4])); // grad is now [2, -1]
 * ```
 */
export function l2Gradient(l2: number): ((grad: Floats, weights: Floats) => void) | undefined {
  if (l2 === 0) return undefined;
  return (grad, weights) => {
    for (let j = 0; j < grad.length; j++) grad[j] += l2 * weights[j];
  };
}

/**
 * Checks the numbers of a step's options where a step is built (`createGradientStep`, so `createTrainStep` and `parallel()` too): a RangeError naming
 * the option and the fix.
 */
export function checkStepOptions<T extends { batchSize: number; l2?: number }>(options: T): T {
  const { batchSize, l2 } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Invalid batchSize: ${batchSize} must be a whole number of at least 1`);
  }
  if (l2 !== undefined && !(l2 >= 0 && l2 < Infinity)) {
    throw new RangeError(`Invalid l2: ${l2} must be a finite number, 0 or more`);
  }
  return options;
}

/**
 * Builds the forward and backward passes of `network` for batches of up to
 * `batchSize` rows: moves the weights into the backend's memory and allocates
 * every buffer once. It trusts that the loss suits the output activation
 * (`train()` checks that: core/checks/pairing.ts).
 *
 * @example
 * ```ts ignore
 * const step = createGradientStep(network, { loss: mse, batchSize: 4 });
 * const loss = step.gradients({ x, t }); // step.grads now holds dL/dW0, dL/db0, ...
 * ```
 */
export function createGradientStep(network: Network, options: GradientStepOptions): GradientStep {
  const { loss, batchSize } = checkStepOptions(options);
  const decay = l2Gradient(options.l2 ?? 0);
  const layers = network.layers;
  const output = layers[layers.length - 1];
  const fused = loss.fused?.activation === output.activation.name ? loss.fused : undefined;
  const f64 = layers[0].weights instanceof Float64Array;
  const backend = f64 ? tsBackend : options.backend ?? tsBackend;
  const alloc = (n: number): Floats => (f64 ? new Float64Array(n) : backend.alloc(n));
  if (backend !== tsBackend) {
    for (const layer of layers) {
      // Weights move into the backend's memory so its kernels read them without copies.
      for (const key of ["weights", "bias"] as const) {
        const moved = alloc(layer[key].length);
        moved.set(layer[key]);
        layer[key] = moved;
      }
    }
  }
  const mat = (cols: number): Mutable<Mat> => ({ data: alloc(batchSize * cols), rows: 0, cols });
  const x: Mutable<Mat> = { data: alloc(0), rows: 0, cols: network.inputs };
  const t: Mutable<Mat> = { data: alloc(0), rows: 0, cols: network.outputs };
  const z = layers.map((l) => mat(l.units));
  const y = layers.map((l) => mat(l.units));
  const dy = layers.map((l) => mat(l.units));
  const dz = layers.map((l) => mat(l.units));
  const io = layers.map((_, i) => ({ x: i === 0 ? x : y[i - 1], z: z[i], y: y[i] }));
  const back: ActivationGrad[] = layers.map((_, i) => ({ z: z[i], y: y[i], dy: dy[i], dz: dz[i] }));
  const grads = parameters(network).map((p) => alloc(p.length));
  let lastCorrect = 0;
  // Arguments built once and updated in place: plugin and kernel calls are
  // not inlined, so objects made per call would be allocated per step.
  const last = layers.length - 1;
  const lossArgs = { y: y[last], t };
  const gradDims: Mutable<GemmDims>[] = layers.map((l) => ({
    m: l.inputs,
    n: l.units,
    k: 0,
    transA: true,
  }));
  const inputDims: Mutable<GemmDims>[] = layers.map((l) => ({
    m: 0,
    n: l.inputs,
    k: l.units,
    transB: true,
  }));

  const setRows = (batch: Batch, rows: number, offset = 0): void => {
    x.data = offset === 0 ? batch.x.data : batch.x.data.subarray(offset * x.cols);
    t.data = offset === 0 ? batch.t.data : batch.t.data.subarray(offset * t.cols);
    x.rows = t.rows = rows;
    for (let i = 0; i < layers.length; i++) {
      z[i].rows =
        y[i].rows =
        dy[i].rows =
        dz[i].rows =
          rows;
    }
  };
  // Layers whose ReLU the kernels write from the product (the plugin keeps its kernel promise).
  const fuse = layers.map((l) => backend.epilogue === true && reluKernel(l.activation));
  // Layers whose ReLU backward pass the backend runs (the same bits as the plugin's loop).
  const gate = layers.map((l) => backend.reluBackward !== undefined && reluKernel(l.activation));
  const forward = (): void => {
    for (let i = 0; i < layers.length; i++) forwardLayer(backend, layers[i], io[i], fuse[i]);
  };
  const lossValue = (): number => (fused ? fused.loss(z[last], t) : loss.loss(lossArgs));

  return {
    network,
    batchSize,
    backend,
    alloc,
    grads,
    firstDelta: dz[0].data,
    get lastCorrect() {
      return lastCorrect;
    },
    gradients(batch, gradientOptions) {
      const first = gradientOptions?.firstLayer !== false;
      checkBatch(batch, network, batchSize);
      setRows(batch, batch.x.rows);
      forward();
      const value = lossValue();
      lastCorrect = countCorrect(y[last], t);
      if (fused) fused.gradient(z[last], y[last], t, dz[last]);
      else {
        loss.gradient(lossArgs, dy[last]);
        output.activation.backward(back[last]);
      }
      for (let i = last; i >= 0; i--) {
        if (i === 0 && !first) break;
        const layer = layers[i], input = io[i].x, rows = input.rows;
        const gW = grads[2 * i], gB = grads[2 * i + 1];
        gradDims[i].k = rows;
        backend.gemm(input.data, dz[i].data, gW, gradDims[i]);
        backend.colSums(dz[i].data, gB, rows, layer.units);
        decay?.(gW, layer.weights);
        if (i === 0) break;
        inputDims[i].m = rows;
        backend.gemm(dz[i].data, layer.weights, dy[i - 1].data, inputDims[i]);
        if (gate[i - 1]) {
          backend.reluBackward!(
            z[i - 1].data,
            dy[i - 1].data,
            dz[i - 1].data,
            rows * layers[i - 1].units,
          );
        } else layers[i - 1].activation.backward(back[i - 1]);
      }
      return value;
    },
    evaluate(batch) {
      checkBatch(batch, network, Infinity);
      let total = 0, correct = 0;
      for (let offset = 0; offset < batch.x.rows; offset += batchSize) {
        const rows = Math.min(batchSize, batch.x.rows - offset);
        setRows(batch, rows, offset);
        forward();
        total += lossValue() * rows;
        correct += countCorrect(y[last], t);
      }
      return { loss: batch.x.rows ? total / batch.x.rows : NaN, correct };
    },
  };
}
