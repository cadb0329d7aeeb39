// Sweeps on Redis, with two server nodes and a trainer in one process against a throwaway
// redis-server: a sweep posted to one node trains on the trainer, shows on the other node, and
// the other node takes it over when the first goes away.
import assert from "node:assert/strict";
import { createRegistry } from "../core/checks/registry.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { startRedis, withoutRedis } from "../testing/redis_server.ts";
import { smallIrisSweep } from "../testing/sweep_fixtures.ts";
import { createApp } from "./app.ts";
import { launchJob } from "./launch_job.ts";
import { connectRedis, redisKeys } from "./redis_runs.ts";
import { createRedisRunStore } from "./redis_store.ts";
import { createRedisSweepStore } from "./redis_sweeps.ts";
import { startRedisTrainer } from "./redis_trainer.ts";
import { admitRunConfig } from "./run_policy.ts";
import { createSweepService } from "./sweep_service.ts";
import { pacedLaunch } from "./_testing/paced_launch.ts";
import { waitFor } from "./_testing/wait_for.ts";

const registry = createRegistry(builtinPlugins());
const local = { Host: "127.0.0.1" };

/** A `serve --redis --no-train` node: its run store, sweeps and app. */
async function node(url: string) {
  const store = await createRedisRunStore({ url, syncMs: 50 });
  const redis = await connectRedis(url, { failFast: true });
  const sweeps = createSweepService({
    store,
    admit: (body) => admitRunConfig(body, { registry }),
    sweeps: createRedisSweepStore(redis, redisKeys()),
    // Long enough that a node the busy machine stalls keeps its sweeps: node A hands its sweep
    // over by closing (it releases the lease), and B takes it within a renewal (a fifth of it).
    leaseMs: 5_000,
  });
  const app = createApp({ store, sweeps, registry });
  return {
    store,
    api: async (path: string, body?: unknown) =>
      await (await app.request(path, {
        method: body === undefined ? "GET" : "POST",
        headers: { ...local, "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })).json(),
    async close() {
      await sweeps.close();
      redis.disconnect();
      await store.close();
    },
  };
}

interface Trial {
  index: number;
  id?: string;
  status: string;
  stoppedAt?: number;
}

Deno.test({
  name:
    "a sweep posted to one Redis node trains on a worker, shows on another node, which finishes it when the first goes",
  ignore: withoutRedis(),
  async fn() {
    const redis = await startRedis();
    const trainer = await startRedisTrainer({
      url: redis.url,
      launch: pacedLaunch(launchJob(), 10),
      concurrency: 2,
    });
    // The nodes do not train (no trainer of their own): every trial runs on `trainer`.
    const a = await node(redis.url), b = await node(redis.url);
    try {
      const created = await a.api("/api/sweeps", smallIrisSweep());
      const { id } = created;
      assert.equal(created.trials, 10);
      let before: { trials: Trial[]; decisions: unknown[] } | undefined;
      await waitFor(
        async () => {
          const sweep = await a.api(`/api/sweeps/${id}`);
          const stopped = sweep.trials.some((t: Trial) => t.stoppedAt !== undefined);
          if (stopped && sweep.trials.some((t: Trial) => t.status === "pending")) before = sweep;
          return before !== undefined;
        },
        "a trial stopped early on the worker",
        60_000,
      );
      const seen = await b.api(`/api/sweeps/${id}`);
      assert.equal(seen.status, "running", "the other node shows it");
      assert.ok(seen.trials.some((t: Trial) => t.id !== undefined));
      await a.close();
      await waitFor(
        async () => (await b.api(`/api/sweeps/${id}`)).status === "done",
        "the other node to finish the sweep",
        120_000,
      );
      const after = await b.api(`/api/sweeps/${id}`);
      assert.deepEqual(after.decisions.slice(0, before!.decisions.length), before!.decisions);
      for (const trial of after.trials as Trial[]) {
        assert.ok(trial.status === "done" || trial.status === "stopped", trial.status);
        assert.equal((await b.api(`/api/runs/${trial.id}`)).status, trial.status);
      }
      assert.equal((await b.api("/api/runs")).runs.length, 10, "one run per trial");
      assert.ok(await b.store.model(after.best.id), "the best trial's model is in Redis");
    } finally {
      await a.close().catch(() => {});
      await b.close();
      await trainer.close();
      await redis.stop();
    }
  },
});
