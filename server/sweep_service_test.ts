// Sweeps kept in the state folder by two servers in one process (each its own records, store
// and sweeps, as two processes would have): one drives a sweep, the other lists it, and takes
// it over with its runs when the first lets go.
import assert from "node:assert/strict";
import { createRegistry } from "../core/checks/registry.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { smallIrisSweep } from "../testing/sweep_fixtures.ts";
import { launchJob } from "./launch_job.ts";
import { openRunRecords } from "./run_records.ts";
import { admitRunConfig } from "./run_policy.ts";
import { createRunStore } from "./run_store.ts";
import { createSweepService } from "./sweep_service.ts";
import { stateDbSweepStore } from "./sweep_store.ts";
import type { TrialResult } from "./sweep_runner.ts";
import { pacedLaunch } from "./_testing/paced_launch.ts";
import { waitFor } from "./_testing/wait_for.ts";

const registry = createRegistry(builtinPlugins());
const admit = (body: unknown) => admitRunConfig(body, { registry });

/** One server's sweeps on the state folder `dir`. */
function node(dir: string) {
  const records = openRunRecords(dir, { leaseMs: 400 });
  const store = createRunStore({
    launch: pacedLaunch(launchJob(), 10),
    records,
    maxRunning: 2,
    syncMs: 20,
  });
  const sweeps = createSweepService({
    store,
    admit,
    sweeps: stateDbSweepStore(records.db),
    owner: records.owner,
    leaseMs: 400,
  });
  return {
    records,
    store,
    sweeps,
    async close() {
      await sweeps.close();
      await store.close();
      records.close();
    },
  };
}

const ended = (t: TrialResult) => ["done", "stopped", "failed"].includes(t.status);

Deno.test("a sweep in the state folder is driven by one server only, and the other finishes it with its decisions when the first lets go", async () => {
  const dir = await Deno.makeTempDir();
  const a = node(dir), b = node(dir);
  try {
    const { id } = await a.sweeps.start(smallIrisSweep());
    const view = async (server: typeof a) => (await server.sweeps.get(id))!.result;
    await waitFor(async () => {
      const { trials, decisions } = await view(a);
      return decisions.some((d) => d.decision === "stop") && trials.filter(ended).length >= 2;
    }, "a trial stopped early and two ended");
    const before = structuredClone(await view(a));
    assert.equal(before.status, "running", "the sweep was mid-way: make its trials longer");
    // b lists the sweep as a saves it, and does not drive it: no trial has two runs.
    await waitFor(async () => (await b.sweeps.list()).some((s) => s.id === id), "b to list it");
    assert.equal((await view(b)).status, "running");
    const runs = () => a.records.db.runs().length;
    assert.equal(runs(), (await view(a)).trials.filter((t) => t.id !== undefined).length);

    await a.close(); // lets go of the sweep and its runs: b adopts both
    await waitFor(async () => (await view(b)).status === "done", "b to finish the sweep", 60_000);
    const after = await view(b);
    assert.deepEqual(
      after.decisions.slice(0, before.decisions.length),
      before.decisions,
      "the decisions made before are kept, in order",
    );
    for (const trial of before.trials.filter(ended)) {
      const { status, stoppedAt, id: runId } = after.trials[trial.index];
      assert.deepEqual({ status, stoppedAt, id: runId }, {
        status: trial.status,
        stoppedAt: trial.stoppedAt,
        id: trial.id,
      });
    }
    for (const trial of after.trials) {
      assert.ok(trial.status === "done" || trial.status === "stopped", `trial ${trial.status}`);
      assert.equal(b.store.get(trial.id!)?.status, trial.status, "the trial's run says the same");
    }
    assert.equal(b.records.db.runs().length, 10, "one run per trial: none started twice");
    assert.ok(after.best && b.store.model(after.best.id!), "the best trial's model");
  } finally {
    await a.close().catch(() => {});
    await b.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a stop asked of a server that does not drive the sweep stops it where it runs", async () => {
  const dir = await Deno.makeTempDir();
  const a = node(dir), b = node(dir);
  try {
    const sweep = {
      ...smallIrisSweep(),
      early_terminate: undefined,
      run: { dataset: "iris", epochs: 400 },
    };
    const { id } = await a.sweeps.start(sweep);
    await waitFor(async () => (await b.sweeps.get(id)) !== undefined, "b to list it");
    const asked = await b.sweeps.stop(id);
    assert.equal(asked?.result.status, "running", "b only asks");
    await waitFor(
      async () => (await a.sweeps.get(id))?.result.status === "stopped",
      "a to stop it",
    );
    await waitFor(async () => (await b.sweeps.get(id))?.result.status === "stopped", "b to see it");
    const { trials } = (await b.sweeps.get(id))!.result;
    assert.ok(trials.some((t) => t.status === "pending"), "later trials never started");
    for (const trial of trials.filter((t) => t.id !== undefined)) {
      assert.equal(a.store.get(trial.id!)?.status, "stopped");
    }
  } finally {
    await a.close();
    await b.close();
    await Deno.remove(dir, { recursive: true });
  }
});
