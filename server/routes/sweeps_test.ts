import assert from "node:assert/strict";
import { errorOf, postJson, withApp } from "../_testing/test_app.ts";
import { waitFor } from "../_testing/wait_for.ts";
import { launchJob } from "../launch_job.ts";

const sweepFile = {
  method: "grid",
  metric: { name: "val_loss", goal: "minimize" },
  parameters: { lr: { values: [0.03, 0.0003, 0.01] } },
  early_terminate: { type: "hyperband", min_iter: 2, eta: 3 },
  run: { dataset: "iris", epochs: 6 },
};
const real = { store: { launch: launchJob() } };

Deno.test("POST /api/sweeps runs each trial as a run and GET /api/sweeps/:id shows trials and the best", async () => {
  await withApp(async ({ app, store }) => {
    const res = await app.request("/api/sweeps", postJson(sweepFile));
    assert.equal(res.status, 201);
    const { id, trials, links } = await res.json();
    assert.equal(trials, 3);
    assert.equal(res.headers.get("location"), links.self);
    await waitFor(
      async () => {
        const sweep = await (await app.request(`/api/sweeps/${id}`)).json();
        return sweep.status === "done";
      },
      "the sweep to finish",
      60_000,
    );
    const sweep = await (await app.request(`/api/sweeps/${id}`)).json();
    assert.deepEqual(sweep.trials.map((t: { params: unknown }) => t.params), [
      { lr: 0.03 },
      { lr: 0.0003 },
      { lr: 0.01 },
    ]);
    for (const trial of sweep.trials) {
      const run = store.get(trial.id)!;
      assert.equal(trial.status, run.status);
      assert.equal(run.config.lr, trial.params.lr);
      assert.equal(trial.links.run, `/api/runs/${trial.id}`);
      assert.ok(trial.epochs >= 2 && typeof trial.metric === "number");
    }
    const stopped = sweep.trials.filter((t: { status: string }) => t.status === "stopped");
    assert.ok(stopped.length >= 1, "lr 0.0003 trails at the rung");
    assert.ok(
      stopped.every((t: { epochs: number; stoppedAt: number }) =>
        t.epochs === 2 && t.stoppedAt === 2
      ),
    );
    assert.equal(sweep.best.status, "done");
    const done = sweep.trials.filter((t: { status: string }) => t.status === "done");
    assert.equal(sweep.best.metric, Math.min(...done.map((t: { metric: number }) => t.metric)));
    assert.equal(sweep.metric.name, "valLoss");
    const list = await (await app.request("/api/sweeps")).json();
    assert.deepEqual(list.sweeps.map((s: { id: string }) => s.id), [id]);
    assert.equal(list.sweeps[0].finished, 3);
  }, real);
});

Deno.test("POST /api/sweeps refuses a trial the run policy refuses, naming it, and starts no runs", async () => {
  await withApp(async ({ app, store }) => {
    const body = { ...sweepFile, parameters: { epochs: { values: [6, 50] } } };
    const error = await errorOf(await app.request("/api/sweeps", postJson(body)), 400);
    assert.equal(error.code, "invalid_sweep");
    assert.equal(
      error.message,
      'Invalid sweep file: trial 2 ({"epochs":50}) is refused: epochs: must be at most 20 on this server',
    );
    const out = { ...sweepFile, run: { ...sweepFile.run, out: "m.json" } };
    const refused = await errorOf(await app.request("/api/sweeps", postJson(out)), 400);
    assert.match(refused.message, /run\.out: a sweep writes no file per trial/);
    assert.deepEqual(store.list(), []);
  }, { ...real, limits: { maxEpochs: 20 } });
});

Deno.test("POST /api/sweeps answers a bad sweep file with 400 and every issue", async () => {
  await withApp(async ({ app }) => {
    const body = { ...sweepFile, method: "bayes", metric: { name: "val_loss", goal: "lowest" } };
    const error = await errorOf(await app.request("/api/sweeps", postJson(body)), 400);
    assert.equal(error.code, "invalid_sweep");
    assert.deepEqual((error.issues as { path: string }[]).map((i) => i.path), [
      "method",
      "metric.goal",
    ]);
    assert.match(error.message, /method: must be "grid" or "random"/);
  });
});

Deno.test("POST /api/sweeps/:id/stop stops the running trials; unknown ids are 404", async () => {
  await withApp(async ({ app, store }) => {
    const long = {
      ...sweepFile,
      early_terminate: undefined,
      run: { dataset: "iris", epochs: 5000 },
    };
    const { id } = await (await app.request("/api/sweeps", postJson(long))).json();
    await waitFor(() => store.list().some((r) => (r.metrics?.epoch ?? 0) >= 1), "a trial to train");
    const res = await app.request(`/api/sweeps/${id}/stop`, { method: "POST" });
    assert.equal(res.status, 200);
    const sweep = await res.json();
    assert.equal(sweep.status, "stopped");
    assert.ok(store.list().length >= 1);
    assert.ok(store.list().every((r) => r.status === "stopped"));
    assert.equal(
      (await errorOf(await app.request("/api/sweeps/nope"), 404)).code,
      "sweep_not_found",
    );
    const again = await errorOf(
      await app.request("/api/sweeps/nope/stop", { method: "POST" }),
      404,
    );
    assert.match(again.message, /list sweeps with GET \/api\/sweeps/);
  }, real);
});
