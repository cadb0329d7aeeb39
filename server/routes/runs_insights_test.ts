// GET /api/runs/:id/insights: 409 until the run is done, then the pictures computed at its end.
import assert from "node:assert/strict";
import { errorOf, postJson, withApp } from "../_testing/test_app.ts";
import { manualTraining } from "../_testing/fake_training.ts";
import { waitFor } from "../_testing/wait_for.ts";
import { launchJob } from "../launch_job.ts";
import type { Insights } from "../../jobs/insights.ts";

Deno.test("GET /api/runs/:id/insights of a finished iris run has the test confusion matrix and layer histograms", async () => {
  await withApp(async ({ app, store }) => {
    const config = {
      dataset: "iris",
      epochs: 5,
      layers: [{ units: 8, activation: "relu" }, { units: 3, activation: "softmax" }],
    };
    const { id } = await (await app.request("/api/runs", postJson(config))).json();
    await waitFor(() => store.get(id)?.status === "done", "the run to finish");
    const res = await app.request(`/api/runs/${id}/insights`);
    assert.equal(res.status, 200);
    const insights: Insights = await res.json();
    const run = await (await app.request(`/api/runs/${id}`)).json();
    const total = insights.confusion!.counts.flat().reduce((a, b) => a + b, 0);
    assert.equal(total, run.test.samples);
    assert.equal(insights.confusion!.classes, 3);
    const right = insights.confusion!.counts.reduce((s, row, i) => s + row[i], 0);
    assert.equal(right / total, run.test.accuracy);
    assert.deepEqual(insights.layers.map((l) => [l.layer, l.activation, l.units]), [
      [1, "relu", 8],
      [2, "softmax", 3],
    ]);
    assert.equal(insights.layers[0].histogram.counts.length, 40);
    assert.equal(
      insights.layers[0].histogram.counts.reduce((a, b) => a + b, 0),
      insights.samples * 8,
    );
    assert.equal(typeof insights.layers[0].dead, "number");
    assert.equal(insights.images, undefined);
  }, { store: { launch: launchJob({ backend: "ts" }) } });
});

Deno.test("GET /api/runs/:id/insights is a 409 while the run trains and a 404 for an unknown run", async () => {
  const manual = manualTraining();
  await withApp(async ({ app, store }) => {
    const { id } = await (await app.request("/api/runs", postJson({ dataset: "xor" }))).json();
    await waitFor(() => manual.subscribers === 1, "training to start");
    const early = await errorOf(await app.request(`/api/runs/${id}/insights`), 409);
    assert.equal(early.code, "insights_not_ready");
    manual.complete();
    await waitFor(() => store.get(id)?.status === "done", "the run to finish");
    const none = await errorOf(await app.request(`/api/runs/${id}/insights`), 404);
    assert.equal(none.code, "no_insights");
    await errorOf(await app.request(`/api/runs/nope/insights`), 404);
  }, { store: { launch: () => manual.training } });
});
