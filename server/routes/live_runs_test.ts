import assert from "node:assert/strict";
import { LIVE_CONFIG, postNdjson, withLive } from "../_testing/live_app.ts";
import { errorOf, postJson, withApp } from "../_testing/test_app.ts";
import { lineSamples } from "../_testing/line_samples.ts";
import { parseRunConfig } from "../../jobs/run_config.ts";

const CONFIG = LIVE_CONFIG;

Deno.test("a live run trains in a Worker on posted NDJSON, reports windows over SSE and serves its model while live", async () => {
  await withLive(async ({ app }) => {
    const created = await app.request("/api/runs", postJson(CONFIG));
    assert.equal(created.status, 201);
    const run = await created.json();
    assert.equal(run.live, true);
    let trained = 0;
    for (let i = 0; i < 8; i++) {
      const res = await app.request(
        `/api/runs/${run.id}/samples`,
        postNdjson(lineSamples(500, i + 1)),
      );
      assert.equal(res.status, 200, await res.clone().text());
      const reply = await res.json();
      trained += reply.trained;
      // Full batches of 32 are trained; the open batch's samples wait for the next body.
      assert.deepEqual(reply, {
        accepted: 500,
        trained: reply.trained,
        waiting: (500 * (i + 1)) % 32,
        pending: 0,
        status: "running",
      });
    }
    assert.equal(trained, 4000);
    const model = await (await app.request(`/api/runs/${run.id}/model`)).json();
    assert.equal(model.format, "nagare-model");
    assert.deepEqual(model.training, { step: 125, samples: 4000 });
    const detail = await (await app.request(`/api/runs/${run.id}`)).json();
    assert.equal(detail.lastWindow.samples, 4000);
    assert.ok(detail.lastWindow.accuracy >= 0.9, `accuracy ${detail.lastWindow.accuracy}`);
    await app.request(`/api/runs/${run.id}/stop`, { method: "POST" });
    const events = await (await app.request(`/api/runs/${run.id}/events`)).text();
    const windows = events.split("\n\n").filter((frame) => frame.includes("event: window"));
    assert.equal(windows.length, 8);
    assert.match(windows[7], /"samples":4000,"size":500/);
  });
});

Deno.test("a bad NDJSON line is a 400 naming its line and the fix, and nothing of the body is trained on", async () => {
  await withLive(async ({ app }) => {
    const run = await (await app.request("/api/runs", postJson(CONFIG))).json();
    const body = lineSamples(40, 1) + '{"x":[0.1,0.2,0.3],"y":[1,0]}\n' + lineSamples(10, 2);
    const error = await errorOf(
      await app.request(`/api/runs/${run.id}/samples`, postNdjson(body)),
      400,
    );
    assert.equal(error.code, "invalid_sample");
    assert.equal(error.line, 41);
    assert.match(
      error.message,
      /^Line 41: x: must have 2 numbers \(the run's inputs\); send one \{"x": \[2 numbers\], "y": \[2 numbers\]\} per line/,
    );
    const model = await (await app.request(`/api/runs/${run.id}/model`)).json();
    assert.deepEqual(model.training, { step: 0, samples: 0 });
    const notJson = await errorOf(
      await app.request(`/api/runs/${run.id}/samples`, postNdjson("{x\n")),
      400,
    );
    assert.match(notJson.message, /^Line 1 is not JSON/);
  });
});

Deno.test("a live config is checked field by field, and samples for a data-set run are a 409", async () => {
  await withLive(async ({ app, store }) => {
    const error = await errorOf(
      await app.request("/api/runs", postJson({ ...CONFIG, window: 0, layers: [{ units: 3 }] })),
      400,
    );
    assert.equal(error.code, "invalid_config");
    assert.match(error.message, /window: must be at least 1/);
    const unknown = await errorOf(
      await app.request("/api/runs", postJson({ ...CONFIG, optimizer: "nope" })),
      400,
    );
    assert.match(unknown.message, /nope/);
    const other = store.create(parseRunConfig({ dataset: "xor" }));
    const notLive = await errorOf(
      await app.request(`/api/runs/${other.id}/samples`, postNdjson(lineSamples(1, 1))),
      409,
    );
    assert.equal(notLive.code, "not_live");
  });
});

Deno.test("without live runs (the Redis engine) a live config is a 409 that says why", async () => {
  await withApp(async ({ app }) => {
    const error = await errorOf(await app.request("/api/runs", postJson(CONFIG)), 409);
    assert.equal(error.code, "live_runs_unavailable");
    assert.match(error.message, /without --redis/);
  });
});

Deno.test("GET /api/runs lists live runs with their last window beside the other runs, newest first, and ?status= filters them", async () => {
  await withLive(async ({ app, store }) => {
    const older = store.create(parseRunConfig({ dataset: "xor" }));
    const run = await (await app.request("/api/runs", postJson(CONFIG))).json();
    for (const seed of [1, 2]) {
      const res = await app.request(
        `/api/runs/${run.id}/samples`,
        postNdjson(lineSamples(512, seed)),
      );
      assert.equal(res.status, 200, await res.clone().text());
    }
    const listed = async (query = "") =>
      (await (await app.request(`/api/runs${query}`)).json()).runs as Record<string, unknown>[];
    const runs = await listed();
    assert.deepEqual(runs.map((r) => r.id), [run.id, older.id]);
    const { metrics, ...summary } = runs[0] as { metrics: Record<string, number> };
    assert.deepEqual(summary, {
      id: run.id,
      status: "running",
      createdAt: run.createdAt,
      dataset: "live",
      live: true,
      layers: "16:tanh,2:softmax",
      window: 500,
      samples: 1024,
      pending: 0,
      links: {
        self: `/api/runs/${run.id}`,
        events: `/api/runs/${run.id}/events`,
        stop: `/api/runs/${run.id}/stop`,
        model: `/api/runs/${run.id}/model`,
        samples: `/api/runs/${run.id}/samples`,
      },
    });
    assert.deepEqual(
      { window: metrics.window, samples: metrics.samples, size: metrics.size },
      { window: 2, samples: 1000, size: 500 },
    );
    assert.ok(metrics.loss > 0 && metrics.accuracy >= 0 && metrics.accuracy <= 1);
    assert.ok((await listed("?status=running")).some((r) => r.id === run.id));
    await app.request(`/api/runs/${run.id}/stop`, { method: "POST" });
    assert.ok((await listed("?status=running")).every((r) => r.id !== run.id));
    assert.deepEqual((await listed("?status=stopped")).map((r) => r.id), [run.id]);
    assert.deepEqual(await listed("?status=queued"), []);
  });
});

Deno.test("a POST smaller than a batch says nothing is trained yet, and stop trains that batch and keeps the model served", async () => {
  await withLive(async ({ app }) => {
    const run = await (await app.request("/api/runs", postJson(CONFIG))).json();
    const few = await app.request(`/api/runs/${run.id}/samples`, postNdjson(lineSamples(2, 1)));
    assert.deepEqual(await few.json(), {
      accepted: 2,
      trained: 0,
      waiting: 2,
      pending: 0,
      status: "running",
    });
    const more = await app.request(`/api/runs/${run.id}/samples`, postNdjson(lineSamples(38, 2)));
    assert.deepEqual(await more.json(), {
      accepted: 38,
      trained: 32,
      waiting: 8,
      pending: 0,
      status: "running",
    });
    const stopped = await (await app.request(`/api/runs/${run.id}/stop`, { method: "POST" }))
      .json();
    assert.equal(stopped.status, "stopped");
    assert.deepEqual(stopped.lastWindow && { ...stopped.lastWindow, loss: 0, accuracy: 0 }, {
      type: "window",
      window: 1,
      samples: 40,
      size: 40,
      step: 2,
      loss: 0,
      accuracy: 0,
    });
    const res = await app.request(`/api/runs/${run.id}/model`);
    assert.equal(res.status, 200, await res.clone().text());
    const model = await res.json();
    assert.equal(model.format, "nagare-model");
    assert.deepEqual(model.training, { step: 2, samples: 40 });
    const late = await errorOf(
      await app.request(`/api/runs/${run.id}/samples`, postNdjson(lineSamples(2, 3))),
      409,
    );
    assert.equal(late.code, "run_finished");
  });
});
