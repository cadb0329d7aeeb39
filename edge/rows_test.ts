import assert from "node:assert/strict";
import { createRegistry } from "../core/checks/registry.ts";
import { encodeRow, objectCells, type Table } from "../core/data/table.ts";
import { createNetwork } from "../core/math/network.ts";
import { predict } from "../core/math/predict.ts";
import { toModelFile } from "../core/model/model_file.ts";
import { builtinActivations } from "../plugins/activations/mod.ts";
import { createPredictHandler } from "./handler.ts";

const registry = createRegistry(builtinActivations());
const columns: Table["columns"] = [
  { name: "area", type: "number", center: 2000, scale: 500, fill: 2000 },
  { name: "city", type: "category", values: ["north", "south"], missing: true },
  { name: "garage", type: "boolean", center: 0.5, scale: 0.5, fill: 0.5 },
];
const regression: Table = {
  version: 1,
  columns,
  target: { name: "price", type: "number", center: 300_000, scale: 80_000 },
  ignored: ["id"],
  missing: "impute",
};
const classes: Table = {
  ...regression,
  target: { name: "kind", type: "classes", classes: ["flat", "house", "villa"] },
};

function modelOf(table: Table, output: string, units: number) {
  const network = createNetwork(
    { inputs: 6, layers: [{ units: 5, activation: "tanh" }, { units, activation: output }] },
    { registry, seed: 3 },
  );
  return { network, file: toModelFile(network, { table, createdAt: null }) };
}

const post = (body: unknown) =>
  new Request("http://x/predict", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const rows = [
  { area: 2500, city: "north", garage: true, id: 7 },
  { area: "1800", city: "west", garage: "no" }, // a numeric string; a city never seen
  { area: null, garage: "yes", price: 1 }, // missing area and city; the target is ignored
];

Deno.test("/predict reads named columns as training did, and answers in the target's units", async () => {
  const { network, file } = modelOf(regression, "identity", 1);
  const handler = createPredictHandler({ model: file });
  const res = await handler(post({ rows }));
  assert.equal(res.status, 200);
  const body = await res.json();
  const x = new Float32Array(3 * 6);
  rows.forEach((row, i) =>
    assert.equal(encodeRow(regression, objectCells(regression, row), x, 6 * i), undefined)
  );
  const want = predict(network, { data: x, rows: 3, cols: 6 }).data;
  body.outputs.forEach((out: number[], i: number) => {
    assert.ok(Math.abs(out[0] - (want[i] * 80_000 + 300_000)) < 0.1, `${out[0]}`);
  });
  // Already-encoded inputs still work, and answer in the same units.
  const encoded = await (await handler(post({ inputs: [Array.from(x.subarray(0, 6))] }))).json();
  assert.deepEqual(encoded.outputs[0], body.outputs[0]);
});

Deno.test("a classifier's /predict names its classes, and /health describes the columns", async () => {
  const { network, file } = modelOf(classes, "softmax", 3);
  const handler = createPredictHandler({ model: file });
  const rows = [{ area: 2500, city: "north", garage: true }, { area: 1800, city: "west" }, {
    area: null,
    kind: "flat", // the target's own column is allowed, and unused
  }];
  const res = await handler(post({ rows }));
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  const x = new Float32Array(3 * 6);
  rows.forEach((row, i) => encodeRow(classes, objectCells(classes, row), x, 6 * i));
  const y = predict(network, { data: x, rows: 3, cols: 6 }).data;
  const names = [0, 1, 2].map((i) => {
    const row = Array.from(y.subarray(3 * i, 3 * i + 3));
    return classes.target.type === "classes"
      ? classes.target.classes[row.indexOf(Math.max(...row))]
      : "";
  });
  assert.deepEqual(body.classes, names);
  const health = await (await handler(new Request("http://x/health"))).json();
  assert.deepEqual(health.columns, [
    { name: "area", type: "number" },
    { name: "city", type: "category", values: ["north", "south"] },
    { name: "garage", type: "boolean" },
  ]);
  assert.deepEqual(health.target, {
    name: "kind",
    type: "classes",
    classes: ["flat", "house", "villa"],
  });
});

Deno.test("bad rows are a 400 naming the row and column, with short quotes", async () => {
  const strict = { ...regression, missing: "error" as const };
  const handler = createPredictHandler({ model: modelOf(strict, "identity", 1).file, maxRows: 2 });
  const cases: [unknown, number, RegExp][] = [
    [{ rows: [{ area: "0x10" }] }, 400, /^rows\.0\.area: is "0x10", not a number$/],
    [
      { rows: [{ area: 1, city: "north", garage: "maybe" }] },
      400,
      /^rows\.0\.garage: is "maybe", not a boolean$/,
    ],
    [
      { rows: [{ area: 1, garage: true }] },
      400,
      /^rows\.0\.city: is missing, and this model was trained to refuse missing cells$/,
    ],
    [
      { rows: [{ area: 1, aera: 2 }] },
      400,
      /^rows\.0: unknown column "aera": the model reads area, city, garage$/,
    ],
    [
      { rows: [{ area: [[1]] }] },
      400,
      /^rows\.0\.area: must be a number, a string, true\/false or null, got an array of 1 value$/,
    ],
    [{ rows: [[1, 2]] }, 400, /^rows\.0: must be an object of columns/],
    [{ rows: [] }, 400, /^rows: must be a non-empty array/],
    [{ rows: [{}, {}, {}] }, 413, /^rows: has 3 rows, more than the 2 allowed/],
    [
      { rows: [{ ["k".repeat(500)]: 1 }] },
      400,
      /^rows\.0: unknown column "k{80}…" \(500 characters\)/,
    ],
  ];
  for (const [body, status, message] of cases) {
    const res = await handler(post(body));
    assert.equal(res.status, status, JSON.stringify(body).slice(0, 80));
    assert.match((await res.json()).error.message, message);
  }
});

Deno.test("a body with both rows and inputs is a 400 that says to send one", async () => {
  const handler = createPredictHandler({ model: modelOf(regression, "identity", 1).file });
  const res = await handler(post({ rows: [{ area: 1 }], inputs: [[0, 0, 0, 0, 0, 0]] }));
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.message, 'Send "rows" or "inputs", not both');
});
