import type { MemorySource } from "./data_source.ts";
import { inMemory } from "./in_memory.ts";

/**
 * Builds an in-memory source from plain arrays: one row of features per
 * sample, and one row of targets (or one number, such as a class label).
 *
 * @example
 * ```ts
 * import { fromArrays } from "./from_arrays.ts";
 * const xor = fromArrays([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]);
 * xor.outputs; // 1
 * ```
 */
export function fromArrays(
  x: readonly (readonly number[])[],
  y: readonly (readonly number[])[] | readonly number[],
): MemorySource {
  if (x.length === 0) throw new RangeError("Invalid x: no rows; pass at least one sample");
  if (x.length !== y.length) {
    throw new RangeError(`Invalid y: ${y.length} rows but x has ${x.length}; give one per sample`);
  }
  const inputs = x[0].length;
  const row = (v: readonly number[] | number): readonly number[] => typeof v === "number" ? [v] : v;
  const outputs = row(y[0]).length;
  const xs = new Float32Array(x.length * inputs);
  const ys = new Float32Array(x.length * outputs);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i], yi = row(y[i]);
    if (xi.length !== inputs) {
      throw new RangeError(`Invalid x: row ${i} has ${xi.length} values but row 0 has ${inputs}`);
    }
    if (yi.length !== outputs) {
      throw new RangeError(`Invalid y: row ${i} has ${yi.length} values but row 0 has ${outputs}`);
    }
    xs.set(xi, i * inputs);
    ys.set(yi, i * outputs);
  }
  return inMemory({ x: xs, y: ys, inputs, outputs });
}
