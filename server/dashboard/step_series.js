// The step-level loss curve: batch losses smoothed the way TensorBoard does
// (an exponential moving average, debiased so that the start is not pulled
// toward 0), and several runs' steps merged onto one x axis for uPlot.

/**
 * Exponential moving average of `values` with `weight` in [0, 1): 0 keeps the
 * values, 0.99 smooths hard. Missing values (null) stay missing.
 */
export function smooth(values, weight) {
  let last = 0, seen = 0;
  return values.map((v) => {
    if (typeof v !== "number" || !Number.isFinite(v)) return null;
    seen++;
    last = last * weight + (1 - weight) * v;
    return weight > 0 ? last / (1 - weight ** seen) : v;
  });
}

/**
 * Merges tables `[{ x: number[], ys: (number|null)[][] }]` (x ascending)
 * onto their union of x: uPlot's `[x, ...y]`, null where a table has no value.
 */
export function alignTables(tables) {
  const x = [...new Set(tables.flatMap((t) => t.x))].sort((a, b) => a - b);
  const at = new Map(x.map((v, i) => [v, i]));
  const columns = tables.flatMap((t) =>
    t.ys.map((y) => {
      const out = new Array(x.length).fill(null);
      t.x.forEach((v, i) => (out[at.get(v)] = y[i] ?? null));
      return out;
    })
  );
  return [x, ...columns];
}

/** A run's step losses from its batch events: `{ x: steps, ys: [raw, smoothed] }`. */
export function stepTable(batches, weight) {
  const x = batches.map((b) => b.step);
  const raw = batches.map((b) => b.loss);
  return { x, ys: [raw, smooth(raw, weight)] };
}
