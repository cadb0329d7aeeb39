// `deno task serve` keeps its runs in the state folder: after `kill -9` and a
// restart, every run is listed, and a run that was training resumes from its
// last checkpoint to the weights of an uninterrupted run, each epoch logged once.
import assert from "node:assert/strict";
import { parseRunConfig } from "../jobs/run_config.ts";
import { launchJob } from "./launch_job.ts";
import { createRunStore } from "./run_store.ts";
import { eventsOf, sseReader } from "../testing/sse_reader.ts";
import { waitFor } from "./_testing/wait_for.ts";
import { server } from "./_testing/served.ts";

const RUN = {
  dataset: "mnist",
  layers: [{ units: 32, activation: "relu" }, { units: 10, activation: "softmax" }],
  epochs: 5,
};

const weights = (model: unknown) => JSON.stringify((model as { weights: unknown }).weights);

async function uninterrupted(): Promise<unknown> {
  const store = createRunStore({ launch: launchJob() });
  const run = store.create(parseRunConfig(RUN));
  await waitFor(() => run.status === "done", "the uninterrupted run", 120_000);
  const model = store.model(run.id);
  await store.close();
  return model;
}

Deno.test("a server killed with SIGKILL lists its runs after a restart and finishes the one that was training", async () => {
  const dir = await Deno.makeTempDir();
  let node = await server(["--state-dir", dir]);
  const created = await node.api("/api/runs", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(RUN),
  });
  assert.equal(created.status, 201);
  const { id } = await created.json();
  // Killed once epoch 2 is reported: its checkpoint is in, epoch 3 is under way.
  await waitFor(
    async () => {
      const run = await (await node.api(`/api/runs/${id}`)).json();
      assert.notEqual(run.status, "done", "the run ended before the kill: make it longer");
      return (run.metrics?.epoch ?? 0) >= 2;
    },
    "epoch 2",
    120_000,
  );
  await node.stop("SIGKILL");

  node = await server(["--state-dir", dir]);
  const listed = await (await node.api("/api/runs")).json();
  assert.deepEqual(listed.runs.map((r: { id: string }) => r.id), [id]);
  await waitFor(
    async () => (await (await node.api(`/api/runs/${id}`)).json()).status === "done",
    "the resumed run to finish",
    120_000,
  );
  const model = await (await node.api(`/api/runs/${id}/model`)).json();
  assert.equal(weights(model), weights(await uninterrupted()));

  const stream = await node.api(`/api/runs/${id}/events`);
  const frames = eventsOf(await sseReader(stream.body!).all());
  const epochs = frames.filter((f) => f.event === "epoch").map((f) =>
    (f.data as { epoch: number }).epoch
  );
  assert.deepEqual(epochs, [1, 2, 3, 4, 5], "the history has every epoch exactly once");
  const resumed = frames.find((f) =>
    (f.data as { reason?: string }).reason === "resumed after a restart"
  );
  assert.ok(resumed, "the run was queued again after the restart");
  const ids = frames.map((f) => Number(f.id));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), "ids increase across the restart");
  await node.stop("SIGINT");
  await Deno.remove(dir, { recursive: true });
});
