// Several machines through Redis: two `deno task serve --redis --no-train` nodes and two
// `deno task worker` processes. A run posted to one node streams every epoch, with the same
// ids, from the other; the worker training it is killed with SIGKILL mid-run, another takes
// it over from its last checkpoint, and the run ends with the weights of an uninterrupted run.
import assert from "node:assert/strict";
import { parseRunConfig } from "../jobs/run_config.ts";
import { startRedis, withoutRedis } from "../testing/redis_server.ts";
import { launchJob } from "./launch_job.ts";
import { createRunStore } from "./run_store.ts";
import { eventsOf, type ParsedFrame, sseReader } from "../testing/sse_reader.ts";
import { waitFor } from "./_testing/wait_for.ts";
import { server, worker } from "./_testing/served.ts";

const RUN = {
  dataset: "mnist",
  layers: [{ units: 32, activation: "relu" }, { units: 10, activation: "softmax" }],
  epochs: 6,
};

const epochsOf = (frames: ParsedFrame[]) =>
  frames.filter((f) => f.event === "epoch").map((f) => (f.data as { epoch: number }).epoch);

Deno.test({
  name:
    "a run posted to one node streams every epoch from another, and survives its worker's SIGKILL",
  ignore: withoutRedis(),
  async fn() {
    const redis = await startRedis();
    const nodeArgs = ["--redis", redis.url, "--no-train"];
    const [a, b] = [await server(nodeArgs), await server(nodeArgs)];
    const workers = [0, 1].map(() => worker(["--redis", redis.url, "--lock-seconds", "3"]));
    try {
      await waitFor(() => workers.every((w) => /nagare worker/.test(w.text)), "workers", 60_000);
      const created = await a.api("/api/runs", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(RUN),
      });
      assert.equal(created.status, 201, await created.clone().text());
      const { id } = await created.json();
      const stream = sseReader((await b.api(`/api/runs/${id}/events`)).body!);

      // The worker that took the run dies with SIGKILL once epoch 2 is in.
      await stream.until((frames) => epochsOf(frames).includes(2));
      const owner = workers.find((w) => w.text.includes(`run ${id} started`));
      assert.ok(owner, "a worker took the run");
      await owner.stop("SIGKILL");
      const other = workers.find((w) => w !== owner)!;

      const frames = eventsOf(await stream.all());
      assert.deepEqual(epochsOf(frames), [1, 2, 3, 4, 5, 6], "every epoch exactly once, in order");
      assert.ok(other.text.includes(`run ${id} started`), "the other worker took the run over");
      const ids = frames.map((f) => Number(f.id));
      assert.deepEqual(ids, [...new Set(ids)].sort((x, y) => x - y), "ids increase, none twice");
      const statuses = frames.filter((f) => f.event === "status")
        .map((f) => f.data as { status: string; reason?: string });
      assert.equal(statuses.at(-1)?.status, "done");
      assert.ok(statuses.some((s) => s.reason === "resumed on another worker"));

      // Node A replays what follows an event id exactly as node B sent it.
      const after = frames.find((f) =>
        f.event === "epoch" && (f.data as { epoch: number }).epoch === 3
      )!;
      const replay = await a.api(`/api/runs/${id}/events`, {
        headers: { "Last-Event-ID": after.id! },
      });
      const replayed = eventsOf(await sseReader(replay.body!).all());
      // (Batch events are progress hints, throttled per client: the rest must match exactly.)
      const lasting = (list: ParsedFrame[]) => list.filter((f) => f.event !== "batch");
      assert.deepEqual(lasting(replayed), lasting(frames.slice(frames.indexOf(after) + 1)));
      assert.ok(lasting(replayed).length >= 4, "epochs 4 to 6, the end and the last status");

      // The same weights as a run never interrupted, downloaded from either node.
      const model = await (await b.api(`/api/runs/${id}/model`)).json();
      const store = createRunStore({ launch: launchJob() });
      const reference = store.create(parseRunConfig(RUN));
      await waitFor(() => reference.status === "done", "the uninterrupted run", 120_000);
      assert.equal(
        JSON.stringify(model.weights),
        JSON.stringify(store.model(reference.id)!.weights),
      );
      await store.close();
      const listed = await (await a.api("/api/runs")).json();
      assert.deepEqual(listed.runs.map((r: { id: string; status: string }) => [r.id, r.status]), [[
        id,
        "done",
      ]]);
    } finally {
      for (const proc of [a, b, ...workers]) await proc.stop();
      await redis.stop();
    }
  },
});
