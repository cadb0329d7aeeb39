// The Redis run store and trainer in one process, against a throwaway redis-server:
// stopping queued and running runs, handing runs back on a graceful stop, retention.
import assert from "node:assert/strict";
import { parseRunConfig } from "../jobs/run_config.ts";
import { startRedis, withoutRedis } from "../testing/redis_server.ts";
import { launchJob } from "./launch_job.ts";
import { createRedisRunStore } from "./redis_store.ts";
import { startRedisTrainer } from "./redis_trainer.ts";
import { createRunStore } from "./run_store.ts";
import { waitFor } from "./_testing/wait_for.ts";

const slow = parseRunConfig({ dataset: "xor", epochs: 100_000, batchSize: 1 });
const quick = parseRunConfig({
  dataset: "mnist",
  layers: [{ units: 128, activation: "relu" }, { units: 10, activation: "softmax" }],
  batchSize: 16,
  epochs: 5,
  seed: 9,
});
const ignore = withoutRedis();

Deno.test({
  name: "a queued run stops at once, a running one within a batch, on whichever node is asked",
  ignore,
  async fn() {
    const redis = await startRedis();
    const a = await createRedisRunStore({ url: redis.url, syncMs: 50 });
    const b = await createRedisRunStore({ url: redis.url, syncMs: 50 });
    try {
      const queued = await a.create(slow);
      assert.equal((await b.get(queued.id))?.status, "queued", "the other node finds it");
      await b.stop(queued.id);
      await waitFor(
        async () => (await a.get(queued.id))?.status === "stopped",
        "the queued run to stop",
      );

      const trainer = await startRedisTrainer({ url: redis.url, launch: launchJob() });
      const running = await a.create(slow);
      await waitFor(() => (running.metrics?.epoch ?? 0) >= 2, "the run to train", 60_000);
      await b.stop(running.id);
      await waitFor(() => running.status === "stopped", "the running run to stop", 60_000);
      // The status reaches the store before the trainer's last write is flushed
      // and it lets go of the run: wait for that, never for a fixed time.
      await waitFor(() => trainer.active.size === 0, "the trainer to let go of the run");
      await trainer.close();
    } finally {
      await a.close();
      await b.close();
      await redis.stop();
    }
  },
});

Deno.test({
  name: "a trainer that stops hands its run back, and another goes on to the same weights",
  ignore,
  async fn() {
    const redis = await startRedis();
    const store = await createRedisRunStore({ url: redis.url, syncMs: 50 });
    try {
      const first = await startRedisTrainer({ url: redis.url, launch: launchJob() });
      const run = await store.create(quick);
      await waitFor(() => (run.metrics?.epoch ?? 0) >= 1, "an epoch", 60_000);
      await first.close();
      assert.notEqual(run.status, "done", "the run was still training when its trainer stopped");
      const second = await startRedisTrainer({ url: redis.url, launch: launchJob() });
      await waitFor(() => run.status === "done", "the run to finish on the second trainer", 60_000);
      await second.close();
      const epochs = run.log.since(0).filter((e) => e.event === "epoch")
        .map((e) => (e.data as { epoch: number }).epoch);
      assert.deepEqual(epochs, [1, 2, 3, 4, 5]);
      const reasons = run.log.since(0).map((e) => (e.data as { reason?: string }).reason);
      assert.ok(reasons.includes("resumed on another worker"));

      const local = createRunStore({ launch: launchJob() });
      const reference = local.create(quick);
      await waitFor(() => reference.status === "done", "the uninterrupted run", 60_000);
      const weights = (model: unknown) => JSON.stringify((model as { weights: unknown }).weights);
      assert.equal(weights(await store.model(run.id)), weights(local.model(reference.id)));
      await local.close();
    } finally {
      await store.close();
      await redis.stop();
    }
  },
});

Deno.test({
  name: "finished runs past --keep-runs are removed from Redis with their events and models",
  ignore,
  async fn() {
    const redis = await startRedis();
    const store = await createRedisRunStore({ url: redis.url, syncMs: 50, keepFinished: 1 });
    const trainer = await startRedisTrainer({
      url: redis.url,
      launch: launchJob(),
      concurrency: 2,
    });
    try {
      const tiny = parseRunConfig({ dataset: "xor", epochs: 2 });
      const older = await store.create(tiny), newer = await store.create(tiny);
      await waitFor(() => older.status === "done" && newer.status === "done", "both runs", 60_000);
      await waitFor(() => store.list().length === 1, "retention", 10_000);
      assert.equal(store.list()[0].id, newer.id);
      assert.equal(await store.get(older.id), undefined);
      assert.equal(await store.model(older.id), undefined);
      assert.ok(await store.model(newer.id));
    } finally {
      await trainer.close();
      await store.close();
      await redis.stop();
    }
  },
});

Deno.test({
  name: "while Redis is away, a server's requests answer 503 at once instead of waiting",
  ignore,
  async fn() {
    const { createApp } = await import("./app.ts");
    const { createRegistry } = await import("../core/checks/registry.ts");
    const { builtinPlugins } = await import("../plugins/mod.ts");
    const redis = await startRedis();
    const store = await createRedisRunStore({ url: redis.url, syncMs: 50 });
    const app = createApp({ store, registry: createRegistry(builtinPlugins()) });
    try {
      await redis.stop();
      const posted = await app.request("/api/runs", {
        method: "POST",
        headers: { "Content-Type": "application/json", Host: "127.0.0.1" },
        body: JSON.stringify({ dataset: "xor" }),
      });
      assert.equal(posted.status, 503);
      const body = await posted.json();
      assert.equal(body.error.code, "store_unavailable");
      assert.match(body.error.message, /Redis\) cannot be reached: .*; retry when it is back/);
      const missing = await app.request("/api/runs/nope", { headers: { Host: "127.0.0.1" } });
      assert.equal(missing.status, 503);
    } finally {
      await store.close();
    }
  },
});
