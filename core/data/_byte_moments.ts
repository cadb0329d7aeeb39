/**
 * Mean and spread of the whole numbers 0 to 255 of a table's number columns
 * (pixels, counts, small ids), from exact integer sums: no division per cell,
 * where Welford's update takes one. Sums of up to about 10^11 such values
 * stay exact in a float64, and the spread is taken from them in BigInt, so
 * the result is the exact mean and sum of squared deviations, rounded once.
 *
 * @module
 */

/**
 * Sums and sums of squares side by side (`sums[2k]`, `sums[2k + 1]`), and the
 * count: the rows added (`rows`) less the column's other cells (`other[k]`),
 * so that a row of bytes updates two numbers per cell.
 */
export interface ByteMoments {
  rows: number;
  readonly other: Float64Array;
  readonly sums: Float64Array;
}

/** Running moments (Welford's): count, mean, sum of squared deviations. */
export interface Moments {
  n: number;
  mean: number;
  m2: number;
}

/** Empty moments for `columns` columns. */
export function byteMoments(columns: number): ByteMoments {
  return { rows: 0, other: new Float64Array(columns), sums: new Float64Array(2 * columns) };
}

/**
 * Adds column `k`'s byte moments into `into` (the column's other values,
 * kept by Welford's update), by Chan's rule for combining two groups, and
 * clears them. Gives the count of bytes it added.
 *
 * @example
 * ```ts ignore
 * const bytes = byteMoments(1);
 * for (const x of [1, 2, 3]) bytes.rows++, bytes.sums[0] += x, bytes.sums[1] += x * x;
 * const into = { n: 0, mean: 0, m2: 0 };
 * mergeByteMoments(bytes, 0, into); // 3; into: { n: 3, mean: 2, m2: 2 }
 * ```
 */
export function mergeByteMoments(bytes: ByteMoments, k: number, into: Moments): number {
  const nb = bytes.rows - bytes.other[k], sum = bytes.sums[2 * k];
  bytes.other[k] = bytes.rows; // cleared: a second merge adds nothing
  if (nb === 0) return 0;
  const m2b = Number(BigInt(nb) * BigInt(bytes.sums[2 * k + 1]) - BigInt(sum) ** 2n) / nb;
  const meanb = sum / nb, n = into.n + nb, delta = into.mean - meanb;
  into.m2 = into.n === 0 ? m2b : m2b + into.m2 + delta * delta * nb * into.n / n;
  into.mean = into.n === 0 ? meanb : meanb + delta * into.n / n;
  into.n = n;
  return nb;
}
