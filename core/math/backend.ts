import type { AdamConstants } from "./adam_rule.ts";
import type { Floats } from "./types.ts";

/** Sizes and layout of one matrix product, see {@linkcode Backend.gemm}. */
export interface GemmDims {
  /** Rows of C. */
  readonly m: number;
  /** Columns of C. */
  readonly n: number;
  /** The shared (summed) dimension. */
  readonly k: number;
  /** A is stored k x m and used transposed (dW = X^T dZ). */
  readonly transA?: boolean;
  /** B is stored n x k and used transposed (dX = dZ W^T). */
  readonly transB?: boolean;
  /**
   * Floats between the starts of consecutive rows of A as stored (default: its
   * row length, k, or m when `transA`): A may be a block of columns of a wider
   * matrix, e.g. some input features of a batch.
   */
  readonly lda?: number;
  /** Add to C instead of overwriting it. */
  readonly accumulate?: boolean;
  /**
   * Adds `bias` (length n) to every row of the product in the same pass: a
   * dense layer's z = x·W + b without a pass of its own over z.
   */
  readonly bias?: Floats;
  /**
   * Also writes max(C, 0) here (m x n): a ReLU layer's output, taken from the
   * product as it is stored, so the activation needs no pass of its own.
   */
  readonly relu?: Floats;
}

/**
 * The matrix kernels a training step needs. The pure TypeScript backend is
 * always there (and is all the edge inference path uses); faster ones
 * (WebAssembly SIMD) implement the same interface and agree within float32
 * tolerance.
 */
export interface Backend {
  /** Short name, e.g. `"ts"` or `"wasm-simd"`. */
  readonly name: string;
  /**
   * True when `gemm` honours `GemmDims.bias` and `GemmDims.relu` (both
   * built-in backends do). Without it, a dense layer runs `gemm`, then
   * `addBias`, then the activation's own `forward`.
   */
  readonly epilogue?: boolean;
  /** Allocates a zeroed float array the kernels can work on without copies. */
  alloc(length: number): Float32Array;
  /** C = op(A) * op(B) (+ C when accumulating); all row-major. */
  gemm(a: Floats, b: Floats, c: Floats, dims: GemmDims): void;
  /** Adds `bias` (length cols) to every row of `c` (rows x cols). */
  addBias(c: Floats, bias: Floats, rows: number, cols: number): void;
  /** Writes the column sums of `a` (rows x cols) into `out` (length cols). */
  colSums(a: Floats, out: Floats, rows: number, cols: number): void;
  /**
   * Optional: one Adam step (core/math/adam_rule.ts) over `param` with moments
   * `m`, `v`, bit-identical to `adamUpdate`; run in place of optimizers that
   * declare `kernel: "adam"`.
   */
  adam?(param: Floats, grad: Floats, m: Floats, v: Floats, c: AdamConstants): void;
  /**
   * Optional: the ReLU's backward pass over the first `count` floats,
   * dz = dy · (z > 0 ? 1 : 0), bit-identical to the built-in plugin's loop;
   * run in place of activations that declare `kernel: "relu"`.
   */
  reluBackward?(z: Floats, dy: Floats, dz: Floats, count: number): void;
}

/**
 * A's row stride for a product: `lda` checked (a whole number no smaller than
 * a row of A as stored), or the dense one when it is undefined.
 */
export function rowStride(m: number, k: number, transA: boolean, lda: number | undefined): number {
  const cols = transA ? m : k;
  if (lda === undefined) return cols;
  if (!Number.isInteger(lda) || lda < Math.max(cols, 1)) {
    throw new RangeError(
      `Invalid lda: ${lda} must be a whole number of at least ${Math.max(cols, 1)}`,
    );
  }
  return lda;
}
