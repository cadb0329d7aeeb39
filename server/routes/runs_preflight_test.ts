import assert from "node:assert/strict";
import { join } from "node:path";
import { errorOf, postJson, withApp } from "../_testing/test_app.ts";

type Issue = { path: string; message: string };

/** POSTs `body` and returns the issues of its 400 invalid_config answer. */
async function refused(
  app: { request: (p: string, i: RequestInit) => Response | Promise<Response> },
  body: unknown,
): Promise<Issue[]> {
  const error = await errorOf(await app.request("/api/runs", postJson(body)), 400);
  assert.equal(error.code, "invalid_config");
  return error.issues as Issue[];
}

/** Runs `fn` with a data folder holding `files`, removed afterwards. */
async function withDataDir(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "nagare-data-" });
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(join(dir, name), text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const LAYERS_31_OF_4096 = [
  ...Array.from({ length: 30 }, () => ({ units: 4096, activation: "relu" })),
  { units: 10, activation: "softmax" },
];

Deno.test("a batch size past 65,536 is a 400 on batchSize, not a failed allocation", async () => {
  await withApp(async ({ app, store }) => {
    const issues = await refused(app, { dataset: "iris", batchSize: 1_000_000_000 });
    assert.deepEqual(issues, [{
      path: "batchSize",
      message: "must be at most 65536: a larger batch trains no better; use e.g. 32 to 1024",
    }]);
    assert.equal(store.list().length, 0);
    const res = await app.request("/api/runs", postJson({ dataset: "iris", batchSize: 65_536 }));
    assert.equal(res.status, 201);
  });
});

Deno.test("optimizer parameters out of their plugin's range are a 400 on optimizer", async () => {
  await withApp(async ({ app, store }) => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "adam", params: { beta1: 5 } }, "Invalid adam beta1: 5 is not in [0, 1)"],
      [{ name: "adam", params: { beta2: 1 } }, "Invalid adam beta2: 1 is not in [0, 1)"],
      [{ name: "adam", params: { eps: 0 } }, "Invalid adam eps: 0 is not in (0, inf)"],
      [
        { name: "momentum", params: { momentum: -0.1 } },
        "Invalid momentum momentum: -0.1 is not in [0, 1)",
      ],
    ];
    for (const [optimizer, message] of cases) {
      assert.deepEqual(await refused(app, { dataset: "xor", optimizer }), [
        { path: "optimizer", message },
      ]);
    }
    assert.equal(store.list().length, 0);
  });
});

Deno.test("a csv target or declared column missing from the header is a 400 naming the header", async () => {
  await withDataDir({ "points.csv": "x,city,y\n1,a,0\n2,b,1\n" }, async (dir) => {
    await withApp(async ({ app, store }) => {
      const csv = (target: string) => ({ csv: "points.csv", target });
      assert.deepEqual(await refused(app, { dataset: csv("price") }), [{
        path: "dataset.target",
        message: 'Unknown target column "price": the header has x, city, y',
      }]);
      assert.deepEqual(await refused(app, { dataset: csv("y"), columns: { town: "category" } }), [{
        path: "columns",
        message: 'Unknown column "town" in the column types: the header has x, city, y',
      }]);
      assert.deepEqual(await refused(app, { dataset: csv("y"), columns: { y: "ignore" } }), [{
        path: "columns",
        message: 'Invalid column types: the target "y" cannot be ignored',
      }]);
      assert.equal(store.list().length, 0);
      const res = await app.request(
        "/api/runs",
        postJson({ dataset: csv("y"), columns: { city: "category" } }),
      );
      assert.equal(res.status, 201);
    }, { dataDir: dir });
  });
});

Deno.test("an empty csv file or a blank header name is a 400 on dataset.csv", async () => {
  await withDataDir({ "empty.csv": "", "blank.csv": "x,,y\n1,2,3\n" }, async (dir) => {
    await withApp(async ({ app }) => {
      assert.deepEqual(await refused(app, { dataset: { csv: "empty.csv", target: "y" } }), [{
        path: "dataset.csv",
        message: "Invalid CSV: the file is empty; it needs a header row",
      }]);
      assert.deepEqual(await refused(app, { dataset: { csv: "blank.csv", target: "y" } }), [{
        path: "dataset.csv",
        message: "Invalid CSV header: column 2 has no name; name it (or remove the column)",
      }]);
    }, { dataDir: dir });
  });
});

Deno.test("an ndjson sample that does not fit the last layer is a 400 on its units", async () => {
  await withDataDir({ "p.ndjson": '{"x": [1, 2], "y": [0, 1, 0]}\n' }, async (dir) => {
    await withApp(async ({ app }) => {
      const dataset = { ndjson: "p.ndjson" };
      assert.deepEqual(await refused(app, { dataset, layers: [{ units: 2 }], loss: "mse" }), [{
        path: "layers.0.units",
        message: "must be 3: the first sample of p.ndjson has 3 targets",
      }]);
      const [issue] = await refused(app, {
        dataset: { ndjson: "p.ndjson", target: "label" },
        layers: [{ units: 3 }],
        loss: "mse",
      });
      assert.equal(issue.path, "dataset.ndjson");
      assert.match(issue.message, /^Invalid NDJSON: line 1, key "label" is missing/);
      const res = await app.request(
        "/api/runs",
        postJson({ dataset, layers: [{ units: 3 }], loss: "mse" }),
      );
      assert.equal(res.status, 201);
    }, { dataDir: dir });
  });
});

Deno.test("31 layers (30 of 4,096 units) on mnist are a 400 naming the estimate, the limit and the fix", async () => {
  await withApp(async ({ app, store }) => {
    const [issue, ...more] = await refused(app, { dataset: "mnist", layers: LAYERS_31_OF_4096 });
    assert.deepEqual(more, []);
    assert.equal(issue.path, "layers");
    assert.match(
      issue.message,
      /^needs about [\d,]+ MiB \(weights [\d,]+, gradients [\d,]+, optimizer [\d,]+, batch [\d,]+, data 31, (workers [\d,]+, )?model [\d,]+\) but this server allows 2,048 MiB per run \(--max-run-mib\): use fewer or smaller layers or a smaller batch$/,
    );
    // 490 million parameters: their float32 weights alone take 1,869 MiB, kept twice.
    assert.match(issue.message, /weights 3,738,/);
    assert.equal(store.list().length, 0);
  });
});

Deno.test("the limit is the server's --max-run-mib: the default job fits 2,048 but not 16", async () => {
  await withApp(async ({ app }) => {
    assert.equal((await app.request("/api/runs", postJson({ dataset: "mnist" }))).status, 201);
  });
  await withApp(async ({ app }) => {
    const [issue] = await refused(app, { dataset: "mnist" });
    assert.equal(issue.path, "layers");
    assert.match(issue.message, /but this server allows 16 MiB per run \(--max-run-mib\)/);
    // A batch that is most of the memory is named as the field to change.
    const [batch] = await refused(app, { dataset: "sine", batchSize: 65_536 });
    assert.equal(batch.path, "batchSize");
  }, { limits: { maxRunMiB: 16 } });
});
