import assert from "node:assert/strict";
import { parseSweepConfig } from "../jobs/sweep_config.ts";
import { planSweep } from "../jobs/sweep_plan.ts";
import { launchJob } from "./launch_job.ts";
import type { EpochSummary } from "./run.ts";
import { createRunStore, type RunStore } from "./run_store.ts";
import { rankTrials, runSweep, type TrialResult } from "./sweep_runner.ts";
import { smallIrisSweep } from "../testing/sweep_fixtures.ts";

const smallIris = smallIrisSweep();

async function withStore(fn: (store: RunStore) => Promise<void>): Promise<void> {
  const store = createRunStore({ launch: launchJob(), maxRunning: 4 });
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

function epochsOf(store: RunStore, id: string): EpochSummary[] {
  return store.get(id)!.log.since(0).filter((e) => e.event === "epoch").map((e) =>
    e.data as EpochSummary
  );
}

Deno.test("an iris sweep stops weak trials at a rung and its best trial reaches 90% validation accuracy", async () => {
  // The threshold and the stops hold across sweep seeds: see testing/sweep_fixtures.ts.
  await withStore(async (store) => {
    const sweep = parseSweepConfig(smallIris);
    const ended: TrialResult[] = [];
    const result = await runSweep(sweep, planSweep(sweep), {
      store,
      concurrency: 1,
      onTrial: (trial) => ended.push({ ...trial }),
    }).done;
    assert.equal(result.status, "done");
    assert.equal(ended.length, 10, "every trial reported once as it ended");
    const stopped = result.trials.filter((t) => t.status === "stopped");
    assert.ok(stopped.length >= 1, "some trials stopped early");
    for (const trial of stopped) {
      assert.ok([2, 6].includes(trial.stoppedAt!), `stopped at a rung, got ${trial.stoppedAt}`);
      assert.equal(trial.epochs, trial.stoppedAt, "a stopped trial ends at its rung");
      assert.equal(
        epochsOf(store, trial.id!).length,
        trial.stoppedAt,
        "its run logged that many epochs",
      );
      assert.equal(store.get(trial.id!)!.status, "stopped");
    }
    for (const trial of result.trials.filter((t) => t.status === "done")) {
      const epochs = epochsOf(store, trial.id!);
      assert.equal(trial.epochs, 12);
      assert.deepEqual(
        epochs.map((e) => e.epoch),
        Array.from({ length: 12 }, (_, i) => i + 1),
        "a promoted trial went on training, never from scratch",
      );
      assert.equal(trial.metric, Math.max(...epochs.map((e) => e.valAccuracy!)));
    }
    assert.equal(result.best?.status, "done");
    assert.ok(result.best!.metric! >= 0.9, `best ${result.best!.metric}`);
    assert.equal(
      result.best,
      rankTrials(result.trials.filter((t) => t.status === "done"), "maximize")[0],
    );
    assert.ok(store.model(result.best!.id!), "the best trial has a model");
  });
});

Deno.test("a sweep runs at most concurrency trials at once, each an ordinary run of the store", async () => {
  await withStore(async (store) => {
    const sweep = parseSweepConfig({ ...smallIris, early_terminate: undefined, run_cap: 5 });
    let most = 0;
    const counting = {
      ...store,
      create(config: Parameters<RunStore["create"]>[0]) {
        const run = store.create(config);
        most = Math.max(
          most,
          store.list().filter((r) => r.status === "queued" || r.status === "running").length,
        );
        return run;
      },
    };
    const trials = planSweep(sweep);
    const result = await runSweep(sweep, trials, { store: counting, concurrency: 2 }).done;
    assert.ok(most <= 2 && most >= 1, `at most 2 at once, saw ${most}`);
    assert.deepEqual(result.trials.map((t) => t.status), Array(5).fill("done"));
    for (const trial of result.trials) {
      assert.deepEqual(store.get(trial.id!)!.config, trials[trial.index].config);
    }
  });
});

Deno.test("stopping a sweep stops its running trials and starts no more", async () => {
  await withStore(async (store) => {
    const sweep = parseSweepConfig({
      ...smallIris,
      run: { dataset: "iris", epochs: 400 },
      early_terminate: undefined,
    });
    const sweepRun = runSweep(sweep, planSweep(sweep), { store, concurrency: 2 });
    while (!sweepRun.result.trials.some((t) => t.epochs >= 1)) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const before = sweepRun.result.trials.filter((t) => t.id !== undefined).length;
    const result = await sweepRun.stop();
    assert.equal(result.status, "stopped");
    const started = result.trials.filter((t) => t.id !== undefined);
    assert.equal(started.length, before, "no trial started after the stop");
    for (const trial of started) assert.equal(store.get(trial.id!)!.status, "stopped");
    assert.ok(result.trials.some((t) => t.status === "pending"), "later trials never started");
    assert.equal(result.best, undefined, "no trial trained to the end");
  });
});

Deno.test("a trial whose epoch events lack the metric is stopped with an error saying so", async () => {
  await withStore(async (store) => {
    const sweep = parseSweepConfig({
      method: "grid",
      metric: { name: "accuracy", goal: "maximize" },
      parameters: { lr: { values: [0.01] } },
      run: { dataset: "sine", epochs: 50 },
    });
    const result = await runSweep(sweep, planSweep(sweep), { store }).done;
    const [trial] = result.trials;
    assert.equal(trial.status, "stopped");
    assert.equal(trial.epochs, 1);
    assert.match(trial.error!, /its epoch events carry no accuracy/);
  });
});

Deno.test("a resumed sweep replays its saved decisions and judges the rest from its trials' epoch events alike", async () => {
  await withStore(async (store) => {
    const sweep = parseSweepConfig(smallIris);
    const trials = planSweep(sweep);
    const first = await runSweep(sweep, trials, { store, concurrency: 1 }).done;
    assert.ok(first.decisions.length >= 4, `decisions ${first.decisions.length}`);
    // As saved mid-way: every trial has its run, two decisions are in, the rest were not judged.
    const saved = {
      trials: first.trials.map((t) => ({
        index: t.index,
        id: t.id!,
        params: t.params,
        status: "running" as const,
        epochs: 0,
      })),
      decisions: first.decisions.slice(0, 2),
    };
    const changes: string[] = [];
    const resumed = await runSweep(sweep, trials, {
      store,
      concurrency: 1,
      resume: saved,
      onChange: (change) => void changes.push(change),
    }).done;
    assert.deepEqual(resumed.decisions, first.decisions);
    assert.deepEqual(
      resumed.trials.map(({ status, epochs, metric, stoppedAt }) => ({
        status,
        epochs,
        metric,
        stoppedAt,
      })),
      first.trials.map(({ status, epochs, metric, stoppedAt }) => ({
        status,
        epochs,
        metric,
        stoppedAt,
      })),
    );
    assert.equal(resumed.best?.id, first.best?.id);
    assert.equal(store.list().length, 10, "no trial ran again");
    assert.equal(changes.at(-1), "end");
  });
});

Deno.test("an abandoned sweep starts no more trials, stops none and stays running", async () => {
  await withStore(async (store) => {
    const sweep = parseSweepConfig({
      ...smallIris,
      run: { dataset: "iris", epochs: 400 },
      early_terminate: undefined,
    });
    const changes: string[] = [];
    const sweepRun = runSweep(sweep, planSweep(sweep), {
      store,
      concurrency: 2,
      onChange: (change) => void changes.push(change),
    });
    while (!sweepRun.result.trials.some((t) => t.epochs >= 1)) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await sweepRun.abandon();
    const seen = changes.length;
    const result = await sweepRun.done;
    assert.equal(result.status, "running");
    const started = result.trials.filter((t) => t.id !== undefined);
    assert.equal(started.length, 2);
    for (const trial of started) {
      assert.notEqual(store.get(trial.id!)!.status, "stopped", "its runs go on in the store");
    }
    assert.equal(changes.length, seen, "no change is reported after it was let go");
  });
});

Deno.test("a resumed sweep keeps the decisions saved while trials ran side by side, in their order", async () => {
  await withStore(async (store) => {
    const sweep = parseSweepConfig(smallIris);
    const trials = planSweep(sweep);
    const first = await runSweep(sweep, trials, { store, concurrency: 2 }).done;
    const saved = {
      trials: first.trials.map((t) => ({ ...t, status: "running" as const, epochs: 0 })),
      decisions: first.decisions,
    };
    const resumed = await runSweep(sweep, trials, { store, concurrency: 2, resume: saved }).done;
    assert.deepEqual(resumed.decisions, first.decisions);
    assert.deepEqual(resumed.trials.map((t) => t.stoppedAt), first.trials.map((t) => t.stoppedAt));
    assert.deepEqual(resumed.trials.map((t) => t.status), first.trials.map((t) => t.status));
  });
});
