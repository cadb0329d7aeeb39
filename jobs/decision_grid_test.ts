import assert from "node:assert/strict";
import { lastValueFrom, toArray } from "rxjs";
import { standardizeState } from "../core/data/fold_standardize.ts";
import { encodeRow, objectCells } from "../core/data/table.ts";
import { predict } from "../core/math/predict.ts";
import type { Network } from "../core/math/network.ts";
import type { EpochEvent } from "../core/train/train_events.ts";
import { type DecisionGrid, withDecisionGrids } from "./decision_grid.ts";
import { parseRunConfig } from "./run_config.ts";
import { type Job, runJob } from "./run_job.ts";

const blobs = (files: Record<string, string>) => (path: string) => new Blob([files[path]]).stream();

type GridEpoch = EpochEvent & { boundary?: DecisionGrid };

async function epochsOf(job: Job): Promise<GridEpoch[]> {
  const events = await lastValueFrom(job.events$.pipe(withDecisionGrids(job), toArray()));
  return events.filter((e): e is GridEpoch => e.type === "epoch");
}

/** The grid's cell centers in the data's units: size * size rows of (x1, x2), top row first. */
function cellCenters({ size, x, y }: DecisionGrid): [number, number][] {
  return Array.from({ length: size * size }, (_, i) => {
    const row = Math.floor(i / size), col = i % size;
    return [
      x[0] + ((col + 0.5) / size) * (x[1] - x[0]),
      y[1] - ((row + 0.5) / size) * (y[1] - y[0]),
    ];
  });
}

/** The largest difference between a grid's bytes and a network's class-1 probabilities (in 1/255). */
function gap(grid: DecisionGrid, network: Network, inputs: Float32Array): number {
  const out = predict(network, { data: inputs, rows: grid.size ** 2, cols: 2 });
  const bytes = Uint8Array.from(atob(grid.values), (c) => c.charCodeAt(0));
  const width = out.cols;
  return Math.max(...[...bytes].map((b, i) => Math.abs(b - 255 * out.data[i * width + width - 1])));
}

Deno.test("an xor job's epoch events carry a 32 x 32 grid over the test rows' range", async () => {
  const job = await runJob(parseRunConfig({ dataset: "xor", epochs: 5 }), { batchEvents: false });
  const epochs = await epochsOf(job);
  assert.equal(epochs.length, 5);
  assert.ok(epochs.every((e) => e.boundary !== undefined));
  const grid = epochs[4].boundary!;
  assert.equal(grid.size, 32);
  assert.equal(grid.classes, 2);
  assert.deepEqual(grid.x, [-0.25, 1.25]);
  assert.deepEqual(grid.y, [-0.25, 1.25]);
  assert.equal(atob(grid.values).length, 32 * 32);
  const raw = Float32Array.from(cellCenters(grid).flat());
  assert.ok(gap(grid, job.modelNetwork(), raw) <= 0.5 + 1e-3, "the bytes are the trained model's");
});

Deno.test("an ndjson job's grid spans three deviations around the mean, in the data's units", async () => {
  // x1 near 1000 with a spread near 300, x2 near -5: the network sees them standardized.
  const lines = Array.from({ length: 120 }, (_, i) => {
    const x1 = 500 + ((i * 37) % 1000), x2 = -10 + ((i * 7) % 10);
    return JSON.stringify({ x: [x1, x2], y: x1 > 1000 ? 1 : 0 });
  });
  const job = await runJob(
    parseRunConfig({
      dataset: { ndjson: "d.ndjson" },
      layers: [{ units: 6, activation: "tanh" }, { units: 2, activation: "softmax" }],
      loss: "crossEntropy",
      epochs: 3,
      validationSplit: 0,
    }),
    { open: blobs({ "d.ndjson": lines.join("\n") }), batchEvents: false },
  );
  const grid = (await epochsOf(job)).at(-1)!.boundary!;
  const prepared = standardizeState(job.modelMeta().training?.prepared)!;
  const { mean, std } = prepared;
  assert.deepEqual(grid.x, [mean[0] - 3 * std[0], mean[0] + 3 * std[0]]);
  assert.deepEqual(grid.y, [mean[1] - 3 * std[1], mean[1] + 3 * std[1]]);
  assert.ok(grid.x[0] < 500 && grid.x[1] > 1500, `x1 spans ${grid.x}`);
  assert.ok(grid.y[0] < -10 && grid.y[1] > 0, `x2 spans ${grid.y}`);
  // The saved model takes raw inputs: at the raw cell centers it gives the grid's bytes.
  const raw = Float32Array.from(cellCenters(grid).flat());
  assert.ok(gap(grid, job.modelNetwork(), raw) <= 1, "the grid is the model's, in raw units");
});

Deno.test("a 2-D csv job's grid is in the columns' units, as the model's table encodes them", async () => {
  const rows = ["x1,x2,label"];
  for (let i = 0; i < 200; i++) {
    const x1 = 1000 + ((i * 37) % 1000), x2 = -50 + ((i * 11) % 100);
    rows.push(`${x1},${x2},${x1 > 1500 ? "big" : "small"}`);
  }
  const job = await runJob(
    parseRunConfig({
      dataset: { csv: "data.csv", target: "label" },
      layers: [{ units: 8, activation: "relu" }, { units: 2, activation: "softmax" }],
      epochs: 3,
      validationSplit: 0.2,
    }),
    { open: blobs({ "data.csv": rows.join("\n") }), batchEvents: false },
  );
  const grid = (await epochsOf(job)).at(-1)!.boundary!;
  const table = job.table!.table;
  const [c1, c2] = table.columns as readonly { center: number; scale: number }[];
  assert.deepEqual(grid.x, [c1.center - 3 * c1.scale, c1.center + 3 * c1.scale]);
  assert.deepEqual(grid.y, [c2.center - 3 * c2.scale, c2.center + 3 * c2.scale]);
  const encoded = new Float32Array(grid.size ** 2 * 2);
  cellCenters(grid).forEach(([x1, x2], i) =>
    assert.equal(encodeRow(table, objectCells(table, { x1, x2 }), encoded, 2 * i), undefined)
  );
  assert.ok(gap(grid, job.network, encoded) <= 1, "raw cells encoded by the table give the grid");
});

Deno.test("a long run carries grids on about 60 epochs and the last; other inputs carry none", async () => {
  const xor = await runJob(parseRunConfig({ dataset: "xor", epochs: 200 }), { batchEvents: false });
  const marked = (await epochsOf(xor)).filter((e) => e.boundary).map((e) => e.epoch);
  assert.equal(marked.length, 50);
  assert.equal(marked.at(-1), 200);
  assert.ok(marked.every((epoch) => epoch % 4 === 0));
  const iris = await runJob(parseRunConfig({ dataset: "iris", epochs: 2 }), { batchEvents: false });
  assert.ok((await epochsOf(iris)).every((e) => e.boundary === undefined));
});
