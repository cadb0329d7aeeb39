import assert from "node:assert/strict";
import { join } from "node:path";
import { admittedFileOf } from "../data_path.ts";
import { errorOf, postJson, withApp } from "../_testing/test_app.ts";

const issuesOf = async (res: Response) => {
  const error = await errorOf(res, 400);
  assert.equal(error.code, "invalid_config");
  return (error.issues as { path: string; message: string }[]).map((i) =>
    `${i.path}: ${i.message}`
  );
};

Deno.test("malformed JSON is a 400 invalid_json with the parser's reason", async () => {
  await withApp(async ({ app }) => {
    const error = await errorOf(
      await app.request("/api/runs", postJson('{"dataset": "xor",')),
      400,
    );
    assert.equal(error.code, "invalid_json");
    assert.match(error.message, /^The body is not valid JSON: /);
    const empty = await errorOf(await app.request("/api/runs", postJson("")), 400);
    assert.match(empty.message, /empty/);
  });
});

Deno.test("a body that is not JSON is a 415", async () => {
  await withApp(async ({ app }) => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", ""]) {
      const res = await app.request("/api/runs", {
        method: "POST",
        headers: type ? { "content-type": type } : {},
        body: "{}",
      });
      const error = await errorOf(res, 415);
      assert.equal(error.code, "unsupported_media_type");
      assert.match(error.message, /application\/json/);
    }
  });
});

Deno.test("wrong types list every failing field with its path", async () => {
  await withApp(async ({ app }) => {
    const issues = await issuesOf(
      await app.request(
        "/api/runs",
        postJson({ epochs: "3", lr: -1, layers: [{ units: 0 }], batchSize: 1.5 }),
      ),
    );
    assert.deepEqual(issues.sort(), [
      "batchSize: must be a whole number",
      "epochs: must be a number",
      "layers.0.units: must be at least 1: a layer needs at least one neuron",
      "lr: must be a positive number",
    ]);
  });
});

Deno.test("unknown keys are refused, naming them", async () => {
  await withApp(async ({ app }) => {
    const issues = await issuesOf(
      await app.request("/api/runs", postJson({ dataset: "xor", epoch: 3 })),
    );
    assert.equal(issues.length, 1);
    assert.match(issues[0], /^epoch: unknown field: remove it or use one of .*epochs/);
    const nested = await issuesOf(
      await app.request(
        "/api/runs",
        postJson({ dataset: "xor", optimizer: { name: "adam", lr: 1 } }),
      ),
    );
    assert.match(nested[0], /^optimizer\.lr: unknown field/);
  });
});

Deno.test("a body that is not an object is a 400", async () => {
  await withApp(async ({ app }) => {
    for (const body of ["[]", "3", "null", '"xor"']) {
      const issues = await issuesOf(await app.request("/api/runs", postJson(body)));
      assert.deepEqual(issues, [": must be a JSON object of run settings"], body);
    }
  });
});

Deno.test("unknown plugins are a 400 listing the known names", async () => {
  await withApp(async ({ app }) => {
    const issues = await issuesOf(
      await app.request(
        "/api/runs",
        postJson({
          dataset: "xor",
          layers: [{ units: 4, activation: "swish" }, { units: 1 }],
          loss: "hinge",
          optimizer: "lion",
        }),
      ),
    );
    assert.equal(issues.length, 3);
    assert.match(
      issues[0],
      /^layers\.0\.activation: unknown activation "swish": use one of identity, sigmoid/,
    );
    assert.match(issues[1], /^loss: unknown loss "hinge"/);
    assert.match(issues[2], /^optimizer: unknown optimizer "lion"/);
  });
});

Deno.test("the last layer must match the built-in data set's outputs", async () => {
  await withApp(async ({ app }) => {
    const issues = await issuesOf(
      await app.request(
        "/api/runs",
        postJson({ dataset: "iris", layers: [{ units: 8 }, { units: 2, activation: "softmax" }] }),
      ),
    );
    assert.deepEqual(issues, ["layers.1.units: must be 3: iris has 3 outputs"]);
  });
});

Deno.test("the server refuses to write files and caps run sizes", async () => {
  await withApp(async ({ app }) => {
    const issues = await issuesOf(
      await app.request(
        "/api/runs",
        postJson({
          dataset: "xor",
          out: "/etc/passwd",
          epochs: 50_000,
          layers: [{ units: 10_000 }, { units: 1, activation: "sigmoid" }],
        }),
      ),
    );
    assert.deepEqual(issues, [
      "out: the server writes no files: remove it and download the model from GET /api/runs/:id/model",
      "epochs: must be at most 10000 on this server",
      "layers.0.units: must be at most 4096 on this server",
    ]);
  }, { limits: { maxEpochs: 10_000 } });
});

Deno.test("file data sets are refused without a data folder and must stay inside it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nagare-data-" });
  try {
    await Deno.writeTextFile(join(dir, "points.csv"), "x,y\n1,0\n");
    const csv = (path: string) =>
      postJson({ dataset: { csv: path, target: "y" }, layers: [{ units: 1 }], loss: "mse" });
    await withApp(async ({ app }) => {
      const [issue] = await issuesOf(await app.request("/api/runs", csv("points.csv")));
      assert.match(
        issue,
        /^dataset\.csv: file data sets are off on this server: start it with --data-dir/,
      );
    });
    await withApp(async ({ app, store }) => {
      assert.match(
        (await issuesOf(await app.request("/api/runs", csv("../x.csv"))))[0],
        /^dataset\.csv: must stay inside/,
      );
      assert.match(
        (await issuesOf(await app.request("/api/runs", csv("/etc/passwd"))))[0],
        /not an absolute path/,
      );
      const res = await app.request("/api/runs", csv("points.csv"));
      assert.equal(res.status, 201);
      const run = store.get((await res.json()).id)!;
      assert.deepEqual(run.config.dataset, { csv: "points.csv", target: "y" }, "the client's path");
      assert.equal(
        admittedFileOf(run.config.dataset).realPath,
        join(await Deno.realPath(dir), "points.csv"),
        "the real path, for the server alone",
      );
    }, { dataDir: dir });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a data path the file system refuses is a 400 issue on dataset.csv, not a 500", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nagare-data-" });
  try {
    await Deno.writeTextFile(join(dir, "points.csv"), "x,y\n1,0\n");
    const csv = (path: string) =>
      postJson({ dataset: { csv: path, target: "y" }, layers: [{ units: 1 }], loss: "mse" });
    await withApp(async ({ app }) => {
      assert.deepEqual(await issuesOf(await app.request("/api/runs", csv("points.csv/"))), [
        'dataset.csv: "points.csv/" is not a regular file: it goes through a file as if it were a folder; check for a stray "/"',
      ]);
      assert.deepEqual(await issuesOf(await app.request("/api/runs", csv("."))), [
        'dataset.csv: "." is the data folder itself, not a regular file',
      ]);
    }, { dataDir: dir });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
