import type { Widths } from "./prepare_step.ts";

/** A matrix whose row count changes from batch to batch over one fixed buffer. */
export interface MutMat {
  readonly data: Float32Array;
  rows: number;
  readonly cols: number;
}

/** The trainer's reused batch buffers, in the data's own widths. */
export interface BatchBuffer {
  readonly x: MutMat;
  readonly t: MutMat;
}

/** Allocates a batch buffer once for batches of up to `rows` rows. */
export function createBatchBuffer(widths: Widths, rows: number): BatchBuffer {
  return {
    x: { data: new Float32Array(rows * widths.inputs), rows: 0, cols: widths.inputs },
    t: { data: new Float32Array(rows * widths.outputs), rows: 0, cols: widths.outputs },
  };
}

/** One pass over the data, batch by batch, into one buffer. */
export interface Pass {
  /** Fills the buffer with the next batch and returns its rows: 0 once the pass is over. */
  fill(): number | Promise<number>;
  /** True when the batch just filled is the pass's last (known before it is used). */
  readonly last: boolean;
  /** Ends the pass early, releasing what the source holds (in-memory passes hold nothing: no promise). */
  close(): Promise<void> | undefined;
}
