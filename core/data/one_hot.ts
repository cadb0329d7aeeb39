import type { Batch, Mat } from "../math/types.ts";
import type { PrepareStep } from "./prepare_step.ts";

/**
 * Turns a class label target into a one-hot row: `oneHot(3)` maps labels 0, 1
 * and 2 to [1,0,0], [0,1,0] and [0,0,1]; `oneHot([3, 5, 8])` maps those label
 * values, in that order. A label outside the classes is a RangeError.
 *
 * @example
 * ```ts
 * import { oneHot } from "./one_hot.ts";
 * const step = oneHot(3).create({ inputs: 2, outputs: 1 }, 1);
 * const batch = {
 *   x: { data: new Float32Array([0.5, 0.5]), rows: 1, cols: 2 },
 *   t: { data: new Float32Array([2]), rows: 1, cols: 1 },
 * };
 * step.apply(batch).t.data; // Float32Array [0, 0, 1]
 * ```
 */
export function oneHot(classes: number | readonly number[]): PrepareStep {
  const labels = typeof classes === "number"
    ? Array.from({ length: classes }, (_, i) => i)
    : classes;
  if (labels.length < 2 || (typeof classes === "number" && !Number.isInteger(classes))) {
    throw new RangeError(`Invalid oneHot classes: ${classes}; give at least 2 classes`);
  }
  const index = new Map(labels.map((label, i) => [label, i]));
  if (index.size !== labels.length) throw new RangeError("Invalid oneHot classes: a label repeats");
  const known = labels.length > 10 ? `${labels.slice(0, 10).join(", ")}, ...` : labels.join(", ");
  const c = labels.length, top = c - 1;
  // The fix in terms of the network: its last layer has one unit per class.
  const unknownLabel = (label: number): string => {
    const why = `Invalid class label: ${label} is not one of the ${c} classes ${known}`;
    if (typeof classes !== "number") {
      return `${why}: add it to oneHot's labels and give the last layer one unit per label`;
    }
    if (!Number.isInteger(label) || label < c) {
      return `${why}, one per unit of the last layer: labels are whole numbers from 0 to ${top}; recode the target column as 0, 1, 2, ...`;
    }
    const units = label + 1;
    return `${why}, one per unit of the last layer: give the last layer ${units} units or more, one per class (e.g. --layers "...,${units}:softmax", or oneHot(${units}) in the API)`;
  };
  return {
    kind: "prepare",
    name: "oneHot",
    create(widths, maxRows) {
      if (widths.outputs !== 1) {
        throw new TypeError(
          `oneHot needs one target holding the class label but samples have ${widths.outputs} targets; drop oneHot if the targets are one-hot already`,
        );
      }
      const t = { data: new Float32Array(maxRows * c), rows: 0, cols: c };
      const out: { x: Mat; t: Mat } = { x: { data: new Float32Array(0), rows: 0, cols: 0 }, t };
      return {
        widths: { inputs: widths.inputs, outputs: c },
        apply(batch: Batch): Batch {
          const labelsIn = batch.t.data, rows = batch.t.rows;
          t.rows = rows;
          t.data.fill(0, 0, rows * c);
          for (let i = 0; i < rows; i++) {
            const k = index.get(labelsIn[i]);
            if (k === undefined) {
              throw new RangeError(unknownLabel(labelsIn[i]));
            }
            t.data[i * c + k] = 1;
          }
          out.x = batch.x;
          return out;
        },
      };
    },
  };
}
