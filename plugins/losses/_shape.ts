/**
 * Shape check shared by the built-in losses. Internal.
 *
 * @module
 */
import type { Mat } from "../../core/math/types.ts";

/**
 * Returns the element count of `y` after checking that `t` has its shape.
 *
 * @example
 * ```ts
 * import { sameShape } from "./_shape.ts";
 * const a = { data: new Float32Array(6), rows: 2, cols: 3 };
 * sameShape("mse", a, a); // 6
 * ```
 */
export function sameShape(loss: string, y: Mat, t: Mat): number {
  if (y.rows !== t.rows || y.cols !== t.cols) {
    throw new TypeError(
      `Shape mismatch in ${loss}: predictions are ${y.rows}x${y.cols} but targets are ${t.rows}x${t.cols}`,
    );
  }
  return y.rows * y.cols;
}
