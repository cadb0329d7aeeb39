import type { BatchBuffer } from "../data/pass.ts";
import type { RunOptions, TrainStep } from "../math/train_step.ts";
import type { Mat, Mutable } from "../math/types.ts";

/** Sums over a window's samples, each scored before the model trained on it. */
export interface WindowTotals {
  /** Samples. */
  rows: number;
  /** Σ loss per sample. */
  loss: number;
  /** Samples predicted right. */
  correct: number;
  /** False once a target other than 0 or 1 was seen (checked only when asked). */
  binary: boolean;
}

/** Scores batches before training on them and sums the scores per window. */
export interface Prequential {
  /**
   * Runs the step on the batch in `buffer` and gives its mean loss, which
   * the step computes before its update: the batch is scored, then trained
   * on. A window that closes inside the batch is scored on its rows first
   * (forward only), so every window holds exactly `window` samples.
   */
  run(buffer: BatchBuffer, options: RunOptions): number;
  /** The windows the last `run` closed, oldest first; read before the next `run`. */
  closed(): readonly WindowTotals[];
  /** The open window, when it holds samples, then a new one (the source completed). */
  flush(): WindowTotals | undefined;
}

const empty = (): WindowTotals => ({ rows: 0, loss: 0, correct: 0, binary: true });

function binaryRows(t: Mat, from: number, rows: number): boolean {
  const d = t.data;
  for (let i = from * t.cols; i < (from + rows) * t.cols; i++) {
    if (d[i] !== 0 && d[i] !== 1) return false;
  }
  return true;
}

/**
 * The prequential scorer of one step: every sample counts once, in the
 * window it arrived in (tumbling windows: each window event covers exactly
 * the `window` samples since the one before, which are then the last
 * `window` samples of the stream). Keeps a fixed number of small objects.
 */
export function createPrequential(
  step: TrainStep,
  window: number,
  checkBinary: boolean,
): Prequential {
  let open = empty();
  const done: WindowTotals[] = [];
  // Views of the first rows of a batch: built once, pointed anew for each split.
  const x: Mutable<Mat> = { data: new Float32Array(0), rows: 0, cols: 0 };
  const t: Mutable<Mat> = { data: new Float32Array(0), rows: 0, cols: 0 };
  const piece = { x, t };
  const add = (rows: number, loss: number, correct: number, binary: boolean): void => {
    open.rows += rows, open.loss += loss, open.correct += correct;
    open.binary &&= binary;
  };
  const close = (): void => {
    done.push(open);
    open = empty();
  };
  return {
    run(buffer, options) {
      done.length = 0;
      const n = buffer.x.rows;
      let offset = 0, scoredLoss = 0, scoredCorrect = 0;
      while (window - open.rows < n - offset) {
        const k = window - open.rows;
        x.cols = buffer.x.cols, t.cols = buffer.t.cols, x.rows = t.rows = k;
        x.data = buffer.x.data.subarray(offset * x.cols);
        t.data = buffer.t.data.subarray(offset * t.cols);
        const scored = step.evaluate(piece);
        add(k, scored.loss * k, scored.correct, !checkBinary || binaryRows(buffer.t, offset, k));
        scoredLoss += scored.loss * k, scoredCorrect += scored.correct;
        close();
        offset += k;
      }
      const value = step.run(buffer, options);
      const rest = n - offset;
      add(
        rest,
        value * n - scoredLoss,
        step.lastCorrect - scoredCorrect,
        !checkBinary || binaryRows(buffer.t, offset, rest),
      );
      if (open.rows === window) close();
      return value;
    },
    closed: () => done,
    flush() {
      if (open.rows === 0) return undefined;
      const last = open;
      open = empty();
      return last;
    },
  };
}
