/**
 * Insights for runs on a csv or ndjson file, which have no test set: the
 * confusion matrix and histograms on the validation rows, read once more
 * after training through the saved model (which takes the rows as the file
 * gives them: a standardize step is folded into its first layer).
 *
 * @module
 */
import type { DataSource } from "../core/data/data_source.ts";
import type { Network } from "../core/math/network.ts";
import type { Arrays } from "./datasets/dataset.ts";
import { computeInsights, type Insights } from "./insights.ts";
import type { Job } from "./run_job.ts";

/** True when the network's last layer gives class probabilities (softmax, or one sigmoid unit). */
export function isClassifier(network: Network): boolean {
  const last = network.layers[network.layers.length - 1];
  const name = last.activation.name;
  return name === "softmax" || (name === "sigmoid" && last.units === 1);
}

/**
 * Reads up to `maxRows` samples of `source` into arrays of `inputs` and
 * `outputs` columns; a class label (one target for several outputs) becomes
 * a one-hot row.
 *
 * @example
 * ```ts
 * import { readRows } from "./validation_insights.ts";
 * const source = { kind: "stream" as const, name: "rows", open: () => [{ x: [1, 2], y: 1 }] };
 * const rows = await readRows(source, 2, 3);
 * [...rows.y]; // [0, 1, 0]
 * ```
 */
export async function readRows(
  source: DataSource,
  inputs: number,
  outputs: number,
  maxRows = 10_000,
): Promise<Arrays> {
  if (source.kind === "memory") {
    const rows = Math.min(source.size, maxRows), width = source.inputs, targets = source.outputs;
    let { x, y } = source;
    if (source.encodeRows) { // rows kept in compact columns (a csv table's cache): encoded at once
      x = new Float32Array(rows * width), y = new Float32Array(rows * targets);
      source.encodeRows(Uint32Array.from({ length: rows }, (_, r) => r), { x, t: y });
    }
    if (width === inputs && targets === outputs) {
      const [xs, ys] = source.encodeRows
        ? [x, y]
        : [x.slice(0, rows * width), y.slice(0, rows * targets)];
      return { x: xs, y: ys, inputs, outputs, rows };
    }
    return readRows(
      {
        kind: "stream",
        name: "memory",
        open: function* () {
          for (let r = 0; r < rows; r++) {
            yield {
              x: x.subarray(r * width, (r + 1) * width),
              y: y.subarray(r * targets, (r + 1) * targets),
            };
          }
        },
      },
      inputs,
      outputs,
      maxRows,
    );
  }
  const xs: number[] = [], ys: number[] = [];
  const stop = new AbortController();
  let rows = 0;
  for await (const { x, y } of source.open(stop.signal)) {
    if (rows === maxRows) break;
    for (let i = 0; i < inputs; i++) xs.push(x[i]);
    const t: number[] = typeof y === "number" ? [y] : Array.from(y);
    if (t.length === 1 && outputs > 1) {
      for (let c = 0; c < outputs; c++) ys.push(c === t[0] ? 1 : 0);
    } else for (let c = 0; c < outputs; c++) ys.push(t[c]);
    rows++;
  }
  stop.abort();
  return { x: new Float32Array(xs), y: new Float32Array(ys), inputs, outputs, rows };
}

/**
 * A file run's {@linkcode Insights} on its validation rows (`set: "validation"`),
 * or undefined when the job has none or its model is not a classifier's.
 *
 * @example
 * ```ts ignore
 * const insights = await validationInsights(job);
 * insights?.confusion?.counts; // e.g. [[40, 2], [3, 35]]
 * ```
 */
export async function validationInsights(job: Job): Promise<Insights | undefined> {
  const source = job.validationData;
  if (!source || !isClassifier(job.network)) return undefined;
  const model = job.modelNetwork();
  const outputs = model.layers[model.layers.length - 1].units;
  const rows = await readRows(source, model.inputs, outputs);
  if (rows.rows === 0) return undefined;
  return computeInsights(model, rows, { set: "validation", classifier: true });
}
