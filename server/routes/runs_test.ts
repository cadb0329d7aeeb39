import assert from "node:assert/strict";
import { errorOf, postJson, withApp } from "../_testing/test_app.ts";
import { manualTraining } from "../_testing/fake_training.ts";
import { waitFor } from "../_testing/wait_for.ts";

Deno.test("POST /api/runs starts a run: 201 with id, links and Location", async () => {
  await withApp(async ({ app, store }) => {
    const res = await app.request("/api/runs", postJson({ dataset: "xor", epochs: 3, seed: 7 }));
    assert.equal(res.status, 201);
    const body = await res.json();
    assert.match(body.id, /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get("location"), `/api/runs/${body.id}`);
    assert.deepEqual(body.links, {
      self: `/api/runs/${body.id}`,
      events: `/api/runs/${body.id}/events`,
      stop: `/api/runs/${body.id}/stop`,
      model: `/api/runs/${body.id}/model`,
    });
    await waitFor(() => store.get(body.id)?.status === "done", "the run to finish");
  });
});

Deno.test("GET /api/runs/:id shows the config, status, latest metrics and test metrics", async () => {
  await withApp(async ({ app, store }) => {
    const { id } = await (await app.request("/api/runs", postJson({ dataset: "xor", epochs: 3 })))
      .json();
    await waitFor(() => store.get(id)?.status === "done", "the run to finish");
    const run = await (await app.request(`/api/runs/${id}`)).json();
    assert.equal(run.status, "done");
    assert.equal(run.config.dataset, "xor");
    assert.equal(run.config.epochs, 3);
    assert.equal(run.metrics.epoch, 3);
    assert.deepEqual(run.test, { accuracy: 1 });
    assert.ok(run.lastEventId > 0);
  });
});

Deno.test("GET /api/runs lists runs newest first and filters by status", async () => {
  await withApp(async ({ app, store }) => {
    const a = await (await app.request("/api/runs", postJson({ dataset: "xor" }))).json();
    const b = await (await app.request("/api/runs", postJson({ dataset: "iris" }))).json();
    const list = await (await app.request("/api/runs")).json();
    assert.deepEqual(list.runs.map((r: { id: string }) => r.id), [b.id, a.id]);
    assert.equal(list.runs[0].dataset, "iris");
    assert.equal(list.runs[0].layers, "16:relu,3:softmax");
    await waitFor(() => store.list().every((r) => r.status === "done"), "runs to finish");
    const done = await (await app.request("/api/runs?status=done")).json();
    assert.equal(done.runs.length, 2);
    assert.deepEqual((await (await app.request("/api/runs?status=queued")).json()).runs, []);
    const bad = await errorOf(await app.request("/api/runs?status=finished"), 400);
    assert.equal(bad.code, "invalid_query");
    assert.match(bad.message, /queued, running, done, stopped, failed/);
  });
});

Deno.test("GET /api/runs/:id/model gives the model when done, 409 before", async () => {
  const manual = manualTraining();
  await withApp(async ({ app, store }) => {
    const { id } = await (await app.request("/api/runs", postJson({ dataset: "xor" }))).json();
    await waitFor(() => manual.subscribers === 1, "training to start");
    const early = await errorOf(await app.request(`/api/runs/${id}/model`), 409);
    assert.equal(early.code, "model_not_ready");
    assert.equal(early.status, "running");
    manual.complete();
    await waitFor(() => store.get(id)?.status === "done", "the run to finish");
    const res = await app.request(`/api/runs/${id}/model`);
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get("content-disposition") ?? "",
      /attachment; filename="nagare-.*\.json"/,
    );
    assert.deepEqual(await res.json(), { format: "nagare-model", fake: true });
  }, { store: { launch: () => manual.training } });
});

Deno.test("POST /api/runs/:id/stop stops a running run; a done run is a 409", async () => {
  const manual = manualTraining();
  await withApp(async ({ app, store }) => {
    const { id } = await (await app.request("/api/runs", postJson({ dataset: "xor" }))).json();
    await waitFor(() => manual.subscribers === 1, "training to start");
    const res = await app.request(`/api/runs/${id}/stop`, { method: "POST" });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).status, "stopped");
    assert.equal(manual.subscribers, 0, "the trainer was unsubscribed");
    assert.equal(
      (await app.request(`/api/runs/${id}/stop`, { method: "POST" })).status,
      200,
      "stopping twice is fine",
    );
    assert.equal(
      (await errorOf(await app.request(`/api/runs/${id}/model`), 409)).status,
      "stopped",
    );
    const other = store.create(store.get(id)!.config);
    await waitFor(() => manual.subscribers === 1, "the second run to start");
    manual.complete();
    await waitFor(() => other.status === "done", "the second run to finish");
    const finished = await errorOf(
      await app.request(`/api/runs/${other.id}/stop`, { method: "POST" }),
      409,
    );
    assert.equal(finished.code, "run_finished");
  }, { store: { launch: () => manual.training } });
});

Deno.test("an unknown run is a 404 on every run route", async () => {
  await withApp(async ({ app }) => {
    for (
      const [path, method] of [["", "GET"], ["/stop", "POST"], ["/model", "GET"], [
        "/events",
        "GET",
      ]]
    ) {
      const error = await errorOf(await app.request(`/api/runs/nope${path}`, { method }), 404);
      assert.equal(error.code, "run_not_found", path);
      assert.equal(error.id, "nope");
      assert.match(error.message, /GET \/api\/runs/);
    }
  });
});

Deno.test("a full queue answers 503", async () => {
  const manual = manualTraining();
  await withApp(async ({ app }) => {
    assert.equal((await app.request("/api/runs", postJson({ dataset: "xor" }))).status, 201);
    assert.equal((await app.request("/api/runs", postJson({ dataset: "xor" }))).status, 201);
    const error = await errorOf(await app.request("/api/runs", postJson({ dataset: "xor" })), 503);
    assert.equal(error.code, "queue_full");
  }, { store: { launch: () => manual.training, maxRunning: 1, maxQueued: 1 } });
});
