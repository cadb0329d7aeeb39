import type { Network } from "./network.ts";
import type { Batch, Mat } from "./types.ts";

/** Throws a RangeError naming the problem when a batch does not fit the network or holds NaN/Infinity. */
export function checkBatch(batch: Batch, network: Network, maxRows: number): void {
  checkBatchShape(batch, network, maxRows);
  checkFinite(batch.x, "inputs");
  checkFinite(batch.t, "targets");
}

/** The shape half of {@linkcode checkBatch}: widths and row counts, not the values. */
export function checkBatchShape(batch: Batch, network: Network, maxRows: number): void {
  const { x, t } = batch;
  if (x.cols !== network.inputs) {
    throw new RangeError(
      `Batch width mismatch: inputs have ${x.cols} columns but the network takes ${network.inputs}`,
    );
  }
  if (t.cols !== network.outputs) {
    throw new RangeError(
      `Target width mismatch: targets have ${t.cols} columns but the network gives ${network.outputs} outputs`,
    );
  }
  if (x.rows !== t.rows) {
    throw new RangeError(`Batch rows mismatch: ${x.rows} input rows but ${t.rows} target rows`);
  }
  if (x.rows > maxRows) {
    throw new RangeError(
      `Batch too large: ${x.rows} rows but the step was built for batchSize ${maxRows}`,
    );
  }
}

function checkFinite(m: Mat, what: string): void {
  const n = m.rows * m.cols;
  if (m.data.length < n) {
    throw new RangeError(
      `Batch ${what} too short: ${m.data.length} values for ${m.rows} rows of ${m.cols}`,
    );
  }
  const d = m.data;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[i])) {
      throw new RangeError(
        `Invalid ${what}: row ${Math.floor(i / m.cols)}, column ${i % m.cols} is ${
          d[i]
        }; clean or impute the data before training`,
      );
    }
  }
}
