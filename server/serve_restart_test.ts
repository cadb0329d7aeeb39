// `deno task serve` keeps its runs in the state folder: after `kill -9` and a
// restart, every run is listed, and a run that was training resumes from its
// last checkpoint to the weights of an uninterrupted run, each epoch logged once.
import assert from "node:assert/strict";
import { parseRunConfig } from "../jobs/run_config.ts";
import { launchJob } from "./launch_job.ts";
import { createRunStore } from "./run_store.ts";
import { eventsOf, sseReader } from "./_testing/sse_reader.ts";
import { waitFor } from "./_testing/wait_for.ts";

const SCRIPT = new URL("../cli/serve.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;
const RUN = {
  dataset: "mnist",
  layers: [{ units: 32, activation: "relu" }, { units: 10, activation: "softmax" }],
  epochs: 5,
};

/** Starts `deno task serve` on a free port with the state in `dir`; resolves with its URL. */
async function serve(dir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", "--config", CONFIG, SCRIPT, "--port", "0", "--state-dir", dir],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/dashboard on (\S+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the server ended before listening: ${text}`);
    text += value;
  }
  const url = text.match(/dashboard on (\S+)/)![1];
  return {
    url,
    api: (path: string, init?: RequestInit) => fetch(new URL(path, url), init),
    async kill() {
      child.kill("SIGKILL");
      await reader.cancel();
      await child.status;
    },
    async stop() {
      child.kill("SIGINT");
      await reader.cancel();
      await child.status;
    },
  };
}

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
  let server = await serve(dir);
  const created = await server.api("/api/runs", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(RUN),
  });
  assert.equal(created.status, 201);
  const { id } = await created.json();
  // Killed once epoch 2 is reported: its checkpoint is in, epoch 3 is under way.
  await waitFor(
    async () => {
      const run = await (await server.api(`/api/runs/${id}`)).json();
      assert.notEqual(run.status, "done", "the run ended before the kill: make it longer");
      return (run.metrics?.epoch ?? 0) >= 2;
    },
    "epoch 2",
    120_000,
  );
  await server.kill();

  server = await serve(dir);
  const listed = await (await server.api("/api/runs")).json();
  assert.deepEqual(listed.runs.map((r: { id: string }) => r.id), [id]);
  await waitFor(
    async () => (await (await server.api(`/api/runs/${id}`)).json()).status === "done",
    "the resumed run to finish",
    120_000,
  );
  const model = await (await server.api(`/api/runs/${id}/model`)).json();
  assert.equal(weights(model), weights(await uninterrupted()));

  const stream = await server.api(`/api/runs/${id}/events`);
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
  await server.stop();
  await Deno.remove(dir, { recursive: true });
});
