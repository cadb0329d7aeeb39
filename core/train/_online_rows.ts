import type { BatchBuffer } from "../data/pass.ts";
import type { Mat } from "../math/types.ts";

/** One sample: `inputs` features and `outputs` targets (one-hot rows for classes). */
export interface OnlineSample {
  /** Features, as many as the network's inputs. */
  readonly x: ArrayLike<number>;
  /** Targets, as many as the network's outputs. */
  readonly y: ArrayLike<number>;
}

/** A ready mini-batch: rows of features and targets; its rows are batched like samples. */
export interface OnlineBatch {
  /** Features, rows x the network's inputs. */
  readonly x: Mat;
  /** Targets, rows x the network's outputs. */
  readonly y: Mat;
}

/** What `trainOn` takes from its source. */
export type OnlineInput = OnlineSample | OnlineBatch;

/** The network's widths. */
export interface RowWidths {
  readonly inputs: number;
  readonly outputs: number;
}

const isBatch = (input: OnlineInput): input is OnlineBatch =>
  typeof input.x === "object" && input.x !== null && "rows" in input.x;

function nonFinite(values: ArrayLike<number>, n: number): number {
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

function checkSample(input: OnlineSample, index: number, widths: RowWidths): void {
  const fix = `send { x, y } with ${widths.inputs} inputs and ${widths.outputs} targets`;
  for (
    const [key, width, what] of [["x", widths.inputs, "inputs"], [
      "y",
      widths.outputs,
      "targets",
    ]] as const
  ) {
    const values = input[key];
    if (typeof values !== "object" || values === null || typeof values.length !== "number") {
      throw new TypeError(`Invalid sample ${index}: ${key} must be an array of numbers; ${fix}`);
    }
    if (values.length !== width) {
      throw new TypeError(
        `Invalid sample ${index}: ${key} has ${values.length} values but the network has ${width} ${what}; ${fix}`,
      );
    }
    for (let i = 0; i < width; i++) {
      const value: unknown = values[i];
      if (typeof value !== "number") {
        throw new TypeError(
          `Invalid sample ${index}: ${key}[${i}] is ${
            JSON.stringify(value) ?? String(value)
          } (a ${typeof value}) but must be a number; convert it before sending it`,
        );
      }
      // Math.fround: a finite double past the float32 range would become Infinity in the batch.
      if (!Number.isFinite(Math.fround(value))) {
        const range = Number.isFinite(value)
          ? ", outside the float32 range (about ±3.4e38); scale it"
          : "; clean or impute the value";
        throw new RangeError(
          `Invalid sample ${index}: ${key}[${i}] is ${value}${range} before sending it`,
        );
      }
    }
  }
}

function checkMiniBatch(input: OnlineBatch, index: number, widths: RowWidths): void {
  const { x, y } = input;
  const at = `Invalid mini-batch at sample ${index}`;
  if (x.cols !== widths.inputs || y.cols !== widths.outputs) {
    throw new TypeError(
      `${at}: it has ${x.cols} input and ${y.cols} target columns but the network has ${widths.inputs} inputs and ${widths.outputs} outputs`,
    );
  }
  if (x.rows !== y.rows || !Number.isInteger(x.rows) || x.rows < 0) {
    throw new TypeError(`${at}: x has ${x.rows} rows but y has ${y.rows}; give both the same rows`);
  }
  for (const [key, m] of [["x", x], ["y", y]] as const) {
    const n = m.rows * m.cols;
    if (m.data.length < n) {
      throw new TypeError(
        `${at}: ${key}.data has ${m.data.length} values for ${m.rows} rows of ${m.cols}`,
      );
    }
    const bad = nonFinite(m.data, n);
    if (bad >= 0) {
      const row = Math.floor(bad / m.cols);
      throw new RangeError(
        `Invalid sample ${index + row}: ${key}[${bad % m.cols}] is ${
          m.data[bad]
        } (row ${row} of a mini-batch); clean or impute the value before sending it`,
      );
    }
  }
}

/**
 * Checks an input's shape and values; `index` is the 0-based number of its
 * first sample in the stream. Gives its rows.
 */
export function checkInput(input: OnlineInput, index: number, widths: RowWidths): number {
  if (typeof input !== "object" || input === null) {
    throw new TypeError(
      `Invalid sample ${index}: got ${
        input === null ? "null" : typeof input
      }; send { x, y } objects or { x: Mat, y: Mat } mini-batches`,
    );
  }
  if (isBatch(input)) {
    checkMiniBatch(input, index, widths);
    return input.x.rows;
  }
  checkSample(input, index, widths);
  return 1;
}

/** Copies row `row` of a checked input into row `at` of the batch buffer. */
export function copyRow(input: OnlineInput, row: number, batch: BatchBuffer, at: number): void {
  const xi = batch.x.cols, yi = batch.t.cols;
  if (isBatch(input)) {
    batch.x.data.set(input.x.data.subarray(row * xi, (row + 1) * xi), at * xi);
    batch.t.data.set(input.y.data.subarray(row * yi, (row + 1) * yi), at * yi);
    return;
  }
  const x = input.x, y = input.y, bx = batch.x.data, bt = batch.t.data;
  for (let j = 0; j < xi; j++) bx[at * xi + j] = x[j];
  for (let j = 0; j < yi; j++) bt[at * yi + j] = y[j];
}
