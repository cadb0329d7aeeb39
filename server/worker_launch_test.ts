import assert from "node:assert/strict";
import { lastValueFrom, tap, toArray } from "rxjs";
import type { ModelFile } from "../core/model/model_file.ts";
import type { Checkpoint } from "../core/model/checkpoint.ts";
import type { TrainEvent } from "../core/train/train_events.ts";
import { loadPluginModules } from "../io/load_plugins.ts";
import { parseRunConfig, type RunConfig } from "../jobs/run_config.ts";
import { resolveDataPath, withAdmittedFile } from "./data_path.ts";
import { launchJob } from "./launch_job.ts";
import { createRunStore, type Launch } from "./run_store.ts";
import { launchInWorker, type WorkerLaunch } from "./worker_launch.ts";
import { waitFor } from "./_testing/wait_for.ts";

const BENT = new URL("../examples/plugins/bent_identity.ts", import.meta.url);
const STUCK = new URL("./_testing/stuck_in_worker.ts", import.meta.url).href;
const xor = (more: Record<string, unknown> = {}) =>
  parseRunConfig({ dataset: "xor", epochs: 30, ...more });

/** The model file without what the clock writes (creation time, throughput, elapsed time). */
function timeless(model: ModelFile | undefined): string {
  assert.ok(model, "a model file");
  const { createdAt: _c, training, ...rest } = model;
  const { samplesPerSec: _s, elapsedMs: _e, measuredEpoch: _m, ...metrics } =
    (training?.metrics ?? {}) as Record<string, unknown>;
  return JSON.stringify({ ...rest, training: { ...training, metrics } });
}

/** Trains `config` to its end with `launch`: every event, then the result. */
async function trainWith(
  launch: Launch,
  config: RunConfig,
  more: Partial<Parameters<Launch>[1]> = {},
) {
  const training = await launch(config, { signal: new AbortController().signal, ...more });
  const events = await lastValueFrom(training.events$.pipe(toArray()));
  return { events, result: await training.result!() };
}

const shape = (events: TrainEvent[]) =>
  events.map((e) =>
    e.type === "batch" ? `b${e.epoch}.${e.batch}` : `${e.type}${"epoch" in e ? e.epoch : ""}`
  );

async function allEnded(launch: WorkerLaunch): Promise<void> {
  await waitFor(() => launch.liveWorkers === 0, "every training Worker to end");
}

Deno.test("xor trains in a Worker to the same model, events and insights as in-process", async () => {
  const launch = launchInWorker({ backend: "ts" });
  const inWorker = await trainWith(launch, xor());
  const inProcess = await trainWith(launchJob({ backend: "ts" }), xor());
  assert.equal(timeless(inWorker.result.model), timeless(inProcess.result.model));
  assert.deepEqual(shape(inWorker.events), shape(inProcess.events));
  assert.deepEqual(inWorker.result.test, inProcess.result.test);
  assert.deepEqual(inWorker.result.insights, inProcess.result.insights);
  assert.equal(
    inWorker.result.insights?.confusion?.classes,
    2,
    "insights cross the Worker boundary",
  );
  const grids = (events: TrainEvent[]) =>
    events.filter((e) => e.type === "epoch").map((e) => (e as { boundary?: unknown }).boundary);
  assert.equal(grids(inWorker.events).filter((g) => g !== undefined).length, 30);
  assert.deepEqual(grids(inWorker.events), grids(inProcess.events), "so do the decision grids");
  await allEnded(launch);
});

Deno.test("stopping a Worker run mid-training ends it and its Worker", async () => {
  const launch = launchInWorker({ backend: "ts" });
  const store = createRunStore({ launch });
  try {
    const run = store.create(xor({ epochs: 1_000_000 }));
    await waitFor(() => (run.metrics?.epoch ?? 0) >= 3, "a few epochs");
    store.stop(run.id);
    await waitFor(() => run.status !== "running", "the run to stop");
    assert.equal(run.status, "stopped");
    await allEnded(launch);
  } finally {
    await store.close();
  }
});

Deno.test("unsubscribing ends a Worker run, and a stuck Worker is terminated after the grace period", async () => {
  const launch = launchInWorker({ backend: "ts" });
  const training = await launch(xor({ epochs: 1_000_000 }), {
    signal: new AbortController().signal,
  });
  let epochs = 0;
  const subscription = training.events$.subscribe((e) => e.type === "epoch" && epochs++);
  await waitFor(() => epochs >= 2, "two epochs");
  subscription.unsubscribe();
  await allEnded(launch);

  const stuck = launchInWorker({ backend: "ts", pluginModules: [STUCK], graceMs: 50 });
  const config = xor({
    layers: [{ units: 64, activation: "test/stuck" }, { units: 1, activation: "sigmoid" }],
  });
  const stop = new AbortController();
  let started = false;
  const spinning = await stuck(config, { signal: stop.signal });
  spinning.events$.subscribe((e) => started ||= e.type === "start");
  await waitFor(() => started, "the worker to start training");
  stop.abort(); // it spins in its first step and never reads the stop message
  await allEnded(stuck);
});

Deno.test("a bad csv cell fails a Worker run with the same error class and message as in-process", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dataDir}/bad.csv`, "x,y\n1,0\n,1\n2,0\n3,1\n");
    const config = parseRunConfig({ dataset: { csv: "bad.csv", target: "y" }, missing: "error" });
    // Admitted as the run policy admits it: the file rides along under a symbol.
    const dataset = config.dataset as { csv: string; target: string };
    config.dataset = withAdmittedFile(dataset, await resolveDataPath(dataDir, "bad.csv"));
    const signal = new AbortController().signal;
    const inProcess = await Promise.resolve(launchJob()(config, { signal })).then(
      () => assert.fail("the in-process launch should fail"),
      (error: Error) => error,
    );
    assert.ok(inProcess instanceof TypeError);
    assert.match(inProcess.message, /^Invalid data: line 3, column "x": the cell is missing/);
    const launch = launchInWorker();
    await assert.rejects(Promise.resolve(launch(config, { signal })), (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.equal(error.message, inProcess.message);
      return true;
    });
    await allEnded(launch);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("checkpoints reach save after their epoch, training waits, and a resume ends on the same model", async () => {
  const launch = launchInWorker({ backend: "ts" });
  const log: string[] = [], saved: Checkpoint[] = [];
  const checkpoint = {
    every: 1,
    async save(c: Checkpoint) {
      log.push(`save ${c.epoch}`);
      await new Promise((r) => setTimeout(r, 10)); // training waits for this
      saved.push(c);
      log.push(`saved ${c.epoch}`);
    },
  };
  const training = await launch(xor({ epochs: 4 }), {
    signal: new AbortController().signal,
    checkpoint,
  });
  await lastValueFrom(
    training.events$.pipe(tap((e) => e.type === "epoch" && log.push(`epoch ${e.epoch}`))),
  );
  const whole = await training.result!();
  assert.deepEqual(log, [1, 2, 3, 4].flatMap((n) => [`epoch ${n}`, `save ${n}`, `saved ${n}`]));

  const resumed = await trainWith(launch, xor({ epochs: 4 }), { resume: saved[1] });
  assert.equal(resumed.events[0].type === "start" && resumed.events[0].fromEpoch, 3);
  assert.equal(timeless(resumed.result.model), timeless(whole.model));
  await allEnded(launch);
});

Deno.test("a save that throws fails the Worker run with the same error class", async () => {
  const launch = launchInWorker({ backend: "ts" });
  const checkpoint = {
    every: 2,
    save() {
      throw new RangeError("Cannot save checkpoint: the disk is full");
    },
  };
  const training = await launch(xor(), { signal: new AbortController().signal, checkpoint });
  await assert.rejects(lastValueFrom(training.events$), {
    name: "RangeError",
    message: "Cannot save checkpoint: the disk is full",
  });
  await allEnded(launch);
});

Deno.test("a custom plugin from a module trains in a Worker as it does in-process", async () => {
  const config = xor({
    layers: [{ units: 4, activation: "myorg/bentIdentity" }, { units: 1, activation: "sigmoid" }],
  });
  const plugins = await loadPluginModules([BENT.pathname]);
  const launch = launchInWorker({ backend: "ts", plugins, pluginModules: [BENT.href] });
  const inWorker = await trainWith(launch, config);
  const inProcess = await trainWith(launchJob({ backend: "ts", plugins }), config);
  assert.equal(timeless(inWorker.result.model), timeless(inProcess.result.model));

  const withoutModule = launchInWorker({ backend: "ts", plugins });
  await assert.rejects(
    Promise.resolve(withoutModule(config, { signal: new AbortController().signal })),
    { name: "TypeError", message: /myorg\/bentIdentity/ },
  );
  await allEnded(launch);
  await allEnded(withoutModule);
});
