// A sweep's driver that stalls past its lease loses the sweep to another process: from then on
// it creates no trial run. Each trial gets one run, under the id its driver recorded while it
// held the lease, also when a driver crashed between recording the id and creating the run.
// The runs train by hand (they end when the test stops them), so no test waits on training.
import assert from "node:assert/strict";
import { createRegistry } from "../core/checks/registry.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { startRedis, withoutRedis } from "../testing/redis_server.ts";
import { smallIrisSweep } from "../testing/sweep_fixtures.ts";
import { admitSweep } from "./admit_sweep.ts";
import { isFinal } from "./run.ts";
import { openRunRecords } from "./run_records.ts";
import { admitRunConfig } from "./run_policy.ts";
import { createRunStore, type RunService } from "./run_store.ts";
import { connectRedis, redisKeys } from "./redis_runs.ts";
import { createRedisRunStore } from "./redis_store.ts";
import { createRedisSweepStore } from "./redis_sweeps.ts";
import {
  createSweepService,
  type SweepService,
  type SweepServiceOptions,
} from "./sweep_service.ts";
import { pendingTrials } from "./sweep_runner.ts";
import { memorySweepStore, stateDbSweepStore, type SweepStore } from "./sweep_store.ts";
import { manualTraining } from "./_testing/fake_training.ts";
import { waitFor } from "./_testing/wait_for.ts";

const registry = createRegistry(builtinPlugins());
const admit = (body: unknown) => admitRunConfig(body, { registry });
/** Three trials, one at a time. */
const SWEEP = { ...smallIrisSweep(), early_terminate: undefined, run_cap: 3 };
/** Leases that no renewal round of these tests reaches (the first round runs at once). */
const LEASE_MS = 600_000;

/** Where the runs and sweeps are kept: a run store and a sweep store on one backend. */
interface Backend {
  store: RunService;
  kept: SweepStore;
  close(): Promise<void>;
}

async function withBackend(kind: string, fn: (backend: Backend) => Promise<void>) {
  const backend = await openBackend(kind);
  try {
    await fn(backend);
  } finally {
    await backend.close();
  }
}

async function openBackend(kind: string): Promise<Backend> {
  if (kind === "redis") {
    const redis = await startRedis();
    const store = await createRedisRunStore({ url: redis.url, syncMs: 50 });
    const connection = await connectRedis(redis.url, { failFast: true });
    const kept = createRedisSweepStore(connection, redisKeys());
    return {
      store,
      kept,
      async close() {
        connection.disconnect();
        await store.close();
        await redis.stop();
      },
    };
  }
  const dir = await Deno.makeTempDir();
  // "state database": runs and sweeps in one; "memory": both in this process only.
  const records = kind === "memory" ? undefined : openRunRecords(dir, { leaseMs: LEASE_MS });
  const store = createRunStore({
    launch: () => manualTraining().training, // a run trains until it is stopped
    maxRunning: 4,
    ...(records ? { records } : {}),
  });
  return {
    store,
    kept: records ? stateDbSweepStore(records.db) : memorySweepStore(),
    async close() {
      await store.close();
      records?.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A driver of sweeps on `backend`, with its own owner id (and clock, or admission). */
async function driver(
  backend: Backend,
  owner: string,
  options: Partial<Pick<SweepServiceOptions, "now" | "admit">> = {},
) {
  const service = createSweepService({
    store: backend.store,
    admit,
    sweeps: backend.kept,
    owner,
    leaseMs: LEASE_MS,
    concurrency: 1,
    ...options,
  });
  // Its first lease round (at once) is over before the test goes on: the next is minutes away.
  await new Promise((resolve) => setTimeout(resolve, 0));
  await service.list();
  return service;
}

/** Sweep `s1` of SWEEP as a driver that is gone left it, its trials' run ids as given. */
async function orphan(backend: Backend, ids: readonly (string | undefined)[] = []) {
  const { trials } = await admitSweep(SWEEP, admit);
  const record = {
    id: "s1",
    file: SWEEP,
    createdAt: new Date().toISOString(),
    status: "running" as const,
    trials: pendingTrials(trials).map((t, i) => ids[i] === undefined ? t : { ...t, id: ids[i] }),
    decisions: [],
  };
  await backend.kept.insert(record, "dead", 0); // its lease ran out long ago
}

/** Stops each run as it appears until `service` reports the sweep done. */
async function stopRunsUntilDone(backend: Backend, service: SweepService, id: string) {
  const asked = new Set<string>();
  await waitFor(
    async () => {
      for (const run of backend.store.list()) {
        if (!isFinal(run) && !asked.has(run.id)) {
          asked.add(run.id);
          await backend.store.stop(run.id);
        }
      }
      return (await service.get(id))?.result.status === "done";
    },
    "the sweep to end",
    60_000,
  );
}

/** a drives a sweep; another process takes it while trial 0 trains, and then trial 0 ends. */
async function takenUnderItsFeet(backend: Backend, a: SweepService) {
  const started = await a.start(SWEEP);
  const { id } = started;
  const first = started.result.trials[0];
  await waitFor(
    async () => first.id !== undefined && (await backend.store.get(first.id)) !== undefined,
    "trial 0's run",
  );
  assert.ok(
    await backend.kept.takeOver(id, "elsewhere", Date.now() + LEASE_MS, "a"),
    "another process takes the sweep while a stalls",
  );
  await backend.store.stop(first.id!); // trial 0 ends: a goes on to trial 1, unaware
  await waitFor(async () => (await a.get(id))?.result !== started.result, "a to let it go");
  assert.deepEqual(runIds(backend), [first.id], "no run created once the lease was lost");
  const saved = (await backend.kept.list()).find((sweep) => sweep.id === id)!;
  assert.equal(saved.owner, "elsewhere");
  assert.equal(saved.trials[1].id, undefined, "no run id recorded for trial 1 either");
}

const runIds = (backend: Backend) => backend.store.list().map((run) => run.id).sort();

const KINDS = ["memory", "state database", "redis"];

for (const kind of KINDS) {
  const ignore = kind === "redis" && withoutRedis();

  Deno.test({
    name:
      `a driver whose sweep is taken over under its feet creates no further trial run (${kind})`,
    ignore,
    fn: () =>
      withBackend(kind, async (backend) => {
        const a = await driver(backend, "a");
        try {
          await takenUnderItsFeet(backend, a);
        } finally {
          await a.close();
        }
      }),
  });

  Deno.test({
    name: `a sweep taken over mid-trial by another driver ends with one run per trial (${kind})`,
    ignore,
    fn: () =>
      withBackend(kind, async (backend) => {
        const a = await driver(backend, "a");
        const { id, result } = await a.start(SWEEP);
        // b's clock is past a's lease: a stalled beyond it, and b takes the sweep over.
        const b = await driver(backend, "b", { now: () => Date.now() + 2 * LEASE_MS });
        try {
          await waitFor(
            async () => (await backend.kept.list()).find((s) => s.id === id)?.owner === "b",
            "b to take the sweep over",
          );
          assert.equal(result.status, "running", "a still drives it as far as it knows");
          await stopRunsUntilDone(backend, b, id);
          const { trials } = (await b.get(id))!.result;
          assert.equal(trials.length, 3);
          assert.ok(trials.every((t) => t.status === "stopped"), "every trial ran");
          assert.deepEqual(
            runIds(backend),
            trials.map((t) => t.id).sort(),
            "one run per trial, none from the driver that lost the sweep",
          );
        } finally {
          await a.close();
          await b.close();
        }
      }),
  });

  Deno.test({
    name: `a driver that loses a sweep while it resumes it creates no trial run (${kind})`,
    ignore,
    fn: () =>
      withBackend(kind, async (backend) => {
        await orphan(backend);
        let stalled = false;
        // a stalls while it admits the sweep's trials, and another process takes the sweep.
        const stalling = async (body: unknown) => {
          if (!stalled) {
            stalled = true;
            await backend.kept.takeOver("s1", "elsewhere", Date.now() + LEASE_MS, "a");
          }
          return await admit(body);
        };
        const a = await driver(backend, "a", { admit: stalling });
        await waitFor(() => stalled, "a to resume the sweep");
        await a.close(); // waits for the runs a is creating
        assert.equal((await backend.kept.list())[0].owner, "elsewhere", "the sweep was taken");
        assert.deepEqual(runIds(backend), [], "no run created once the lease was lost");
      }),
  });

  Deno.test({
    name:
      `a driver that crashed after recording a trial's run id is resumed into exactly one run for it (${kind})`,
    ignore,
    fn: () =>
      withBackend(kind, async (backend) => {
        const { trials } = await admitSweep(SWEEP, admit);
        const made = await backend.store.create(trials[0].config);
        // Trial 0's run was created, trial 1's id recorded only: its driver died in between.
        await orphan(backend, [made.id, "recorded-1"]);
        const b = await driver(backend, "b");
        try {
          await waitFor(async () => (await backend.kept.list())[0].owner === "b", "b to resume it");
          await stopRunsUntilDone(backend, b, "s1");
          const after = (await b.get("s1"))!.result.trials;
          assert.deepEqual(after.map((t) => t.status), ["stopped", "stopped", "stopped"]);
          assert.equal(after[0].id, made.id, "trial 0 kept the run it had");
          assert.equal(after[1].id, "recorded-1", "trial 1's run has the recorded id");
          assert.deepEqual(runIds(backend), after.map((t) => t.id).sort(), "one run per trial");
          await assert.rejects(
            async () => await backend.store.create(trials[1].config, { id: "recorded-1" }),
            { name: "TypeError", message: /^Duplicate run id recorded-1: another run has it/ },
            "a driver that comes late is refused that id",
          );
        } finally {
          await b.close();
        }
      }),
  });
}
