import assert from "node:assert/strict";
import { join } from "node:path";
import { createRegistry } from "../core/checks/registry.ts";
import { parseRunConfig } from "../jobs/run_config.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { launchJob } from "./launch_job.ts";
import { admitRunConfig } from "./run_policy.ts";
import { createRunStore } from "./run_store.ts";
import { runSummary } from "./run.ts";
import { postJson, withApp } from "./_testing/test_app.ts";
import { waitFor } from "./_testing/wait_for.ts";

Deno.test("a real XOR run trains to done with a model file and test metrics", async () => {
  const store = createRunStore({ launch: launchJob({ backend: "ts" }) });
  try {
    const run = store.create(parseRunConfig({ dataset: "xor", epochs: 20 }));
    await waitFor(() => run.status !== "running", "the run to end", 20_000);
    assert.equal(run.status, "done", run.error ?? "");
    assert.equal(run.metrics?.epoch, 20);
    assert.equal(run.metrics?.layers.length, 2);
    assert.equal(run.model?.format, "nagare-model");
    assert.equal((run.test as { samples: number }).samples, 4);
    const end = run.log.since(0).find((e) => e.event === "end")?.data as Record<string, unknown>;
    assert.equal(end.reason, "completed");
    assert.deepEqual(end.test, run.test);
    const epochs = run.log.since(0).filter((e) => e.event === "epoch");
    assert.ok(epochs.every((e) => (e.data as { boundary?: unknown }).boundary), "grids streamed");
    const summary = runSummary(run).metrics as { boundary?: unknown; epoch: number };
    assert.equal(summary.epoch, 20);
    assert.equal(summary.boundary, undefined, "but left out of the summary");
  } finally {
    await store.close();
  }
});

Deno.test("a run whose layers do not fit the data set fails with the fix", async () => {
  const store = createRunStore({ launch: launchJob({ backend: "ts" }) });
  try {
    const run = store.create(
      parseRunConfig({
        dataset: "xor",
        layers: [{ units: 4 }, { units: 3, activation: "sigmoid" }],
      }),
    );
    await waitFor(() => run.status !== "running", "the run to end");
    assert.equal(run.status, "failed");
    assert.match(run.error ?? "", /end the layers with 1 units/);
  } finally {
    await store.close();
  }
});

/** A data folder with a small csv, a secret file beside it, and an app whose runs train for real. */
async function withDataFolder(
  fn: (paths: { dir: string; outside: string }) => Promise<void>,
): Promise<void> {
  const base = await Deno.makeTempDir({ prefix: "nagare-launch-" });
  try {
    const dir = join(base, "data"), outside = join(base, "secret.txt");
    await Deno.mkdir(dir);
    const rows = Array.from({ length: 40 }, (_, i) => `${i / 40},${(i % 2) * 2 - 1},${i % 2}`);
    await Deno.writeTextFile(join(dir, "points.csv"), `a,b,label\n${rows.join("\n")}\n`);
    await Deno.writeTextFile(outside, "root:x:0:0:top secret line\n");
    await fn({ dir, outside });
  } finally {
    await Deno.remove(base, { recursive: true });
  }
}

const POINTS = { dataset: { csv: "points.csv", target: "label" }, epochs: 3 };

Deno.test("a csv run's detail, events and model show the client's path, never the server's", async () => {
  await withDataFolder(async ({ dir }) => {
    const real = await Deno.realPath(dir);
    await withApp(async ({ app, store }) => {
      const res = await app.request("/api/runs", postJson(POINTS));
      assert.equal(res.status, 201);
      const { id } = await res.json();
      await waitFor(() => store.get(id)?.status !== "running", "the run to end", 20_000);
      const detail = await (await app.request(`/api/runs/${id}`)).text();
      assert.equal(JSON.parse(detail).status, "done", detail);
      assert.deepEqual(JSON.parse(detail).config.dataset, POINTS.dataset);
      const list = await (await app.request("/api/runs")).text();
      const events = await (await app.request(`/api/runs/${id}/events`)).text();
      const model = await (await app.request(`/api/runs/${id}/model`)).text();
      assert.equal(JSON.parse(model).training.config.dataset.csv, "points.csv");
      for (const [what, text] of Object.entries({ detail, list, events, model })) {
        assert.ok(!text.includes(real) && !text.includes(dir), `${what} names the data folder`);
      }
    }, { dataDir: dir, store: { launch: launchJob({ backend: "ts" }) } });
  });
});

Deno.test("a data file swapped for a symlink after admission fails the run without reading it", async () => {
  await withDataFolder(async ({ dir, outside }) => {
    const registry = createRegistry(builtinPlugins());
    const admitted = await admitRunConfig(POINTS, { registry, dataDir: dir });
    assert.ok(admitted.ok);
    await Deno.remove(join(dir, "points.csv"));
    await Deno.symlink(outside, join(dir, "points.csv"));
    const store = createRunStore({ launch: launchJob({ backend: "ts" }) });
    try {
      const run = store.create(admitted.config);
      await waitFor(() => run.status !== "running" && run.status !== "queued", "the run to end");
      assert.equal(run.status, "failed");
      assert.equal(
        run.error,
        'The data file changed since the run was admitted: "points.csv" is another file now; put the file back or start the run again',
      );
      const said = JSON.stringify(run.log.since(0));
      assert.ok(!said.includes("root:x") && !said.includes(dir), said);
    } finally {
      await store.close();
    }
  });
});

Deno.test("a file data set the run policy did not admit is not opened", async () => {
  await withDataFolder(async ({ dir }) => {
    const store = createRunStore({ launch: launchJob({ backend: "ts" }) });
    try {
      const run = store.create(
        parseRunConfig({ ...POINTS, dataset: { ...POINTS.dataset, csv: join(dir, "points.csv") } }),
      );
      await waitFor(() => run.status !== "running" && run.status !== "queued", "the run to end");
      assert.equal(run.status, "failed");
      assert.match(run.error ?? "", /^The data file was not admitted by the server's run policy/);
    } finally {
      await store.close();
    }
  });
});

Deno.test("a csv classifier run's insights are its validation rows' confusion matrix", async () => {
  await withDataFolder(async ({ dir }) => {
    await withApp(async ({ app, store }) => {
      const config = {
        ...POINTS,
        layers: [{ units: 4, activation: "tanh" }, { units: 2, activation: "softmax" }],
        validationSplit: 0.25,
      };
      const res = await app.request("/api/runs", postJson(config));
      assert.equal(res.status, 201);
      const { id } = await res.json();
      await waitFor(() => store.get(id)?.status === "done", "the run to finish", 20_000);
      const insights = await (await app.request(`/api/runs/${id}/insights`)).json();
      assert.equal(insights.set, "validation");
      const counts: number[][] = insights.confusion.counts;
      assert.equal(counts.length, 2);
      const rows = counts.flat().reduce((a, b) => a + b, 0);
      assert.ok(rows > 0 && rows < 40, `${rows} validation rows of the file's 40`);
      const end = store.get(id)!.log.since(0).findLast((e) => e.event === "end")?.data;
      assert.deepEqual((end as { insights: unknown }).insights, insights, "kept in the end event");
    }, { dataDir: dir, store: { launch: launchJob({ backend: "ts" }) } });
  });
});
