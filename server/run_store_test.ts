import assert from "node:assert/strict";
import { lastValueFrom, toArray } from "rxjs";
import { parseRunConfig } from "../jobs/run_config.ts";
import { createRunStore } from "./run_store.ts";
import {
  epochEvent,
  FAKE_MODEL,
  fakeLaunch,
  manualTraining,
  startEvent,
} from "./_testing/fake_training.ts";
import { waitFor } from "./_testing/wait_for.ts";

const config = parseRunConfig({ dataset: "xor", epochs: 3 });

Deno.test("a created run is queued, trains in the background and ends done with its model", async () => {
  const store = createRunStore({ launch: fakeLaunch(3) });
  const run = store.create(config);
  assert.equal(run.status, "running");
  await waitFor(() => run.status === "done", "the run to finish");
  assert.equal(run.model, FAKE_MODEL);
  assert.equal(run.metrics?.epoch, 3);
  assert.deepEqual(run.test, { accuracy: 1 });
  const events = run.log.since(0).map((e) => e.event).filter((e) => e !== "batch");
  assert.deepEqual(events, ["status", "status", "epoch", "epoch", "epoch", "end", "status"]);
  assert.equal(run.log.closed, true);
  await store.close();
});

Deno.test("runs past the concurrency limit wait in the queue", async () => {
  const launch = fakeLaunch(2);
  const store = createRunStore({ launch, maxRunning: 1 });
  const a = store.create(config), b = store.create(config);
  assert.deepEqual([a.status, b.status], ["running", "queued"]);
  assert.equal(launch.calls, 1);
  await waitFor(() => b.status === "done", "the queued run to finish");
  assert.equal(launch.calls, 2);
  assert.deepEqual(store.list().map((r) => r.id), [b.id, a.id], "newest first");
  await store.close();
});

Deno.test("stopping a queued run stops it at once; stopping a running one unsubscribes the trainer", async () => {
  const manual = manualTraining();
  const store = createRunStore({ launch: () => manual.training, maxRunning: 1 });
  const a = store.create(config), b = store.create(config);
  await waitFor(() => manual.subscribers === 1, "training to start");
  manual.emit(startEvent());
  manual.emit(epochEvent(1));
  assert.equal(store.stop(b.id)?.status, "stopped");
  assert.equal(store.stop(a.id)?.status, "stopped");
  assert.equal(manual.subscribers, 0);
  assert.equal(a.metrics?.epoch, 1);
  assert.equal(a.model, undefined);
  assert.equal(store.stop("nope"), undefined);
  await store.close();
});

Deno.test("a trainer error fails the run with an error event naming the cause", async () => {
  const manual = manualTraining();
  const store = createRunStore({ launch: () => manual.training });
  const run = store.create(config);
  await waitFor(() => manual.subscribers === 1, "training to start");
  manual.fail(new RangeError("Loss is NaN at epoch 2: lower the learning rate"));
  await waitFor(() => run.status === "failed", "the run to fail");
  assert.match(run.error ?? "", /lower the learning rate/);
  const error = run.log.since(0).find((e) => e.event === "error");
  assert.deepEqual(error?.data, { message: "Loss is NaN at epoch 2: lower the learning rate" });
  await store.close();
});

Deno.test("a launch that throws fails the run", async () => {
  const store = createRunStore({
    launch: () => Promise.reject(new TypeError('Unknown activation "swish": known are relu')),
  });
  const run = store.create(config);
  await waitFor(() => run.status === "failed", "the run to fail");
  assert.match(run.error ?? "", /swish/);
  await store.close();
});

Deno.test("a full queue refuses new runs", async () => {
  const manual = manualTraining();
  const store = createRunStore({ launch: () => manual.training, maxRunning: 1, maxQueued: 1 });
  store.create(config);
  store.create(config);
  assert.equal(store.full, true);
  assert.throws(() => store.create(config), {
    name: "RangeError",
    message: /Too many queued runs/,
  });
  await store.close();
});

Deno.test("a run created under a given id has it, and the id is refused once taken or malformed", async () => {
  const store = createRunStore({ launch: () => manualTraining().training });
  assert.equal(store.create(config, { id: "trial-1" }).id, "trial-1");
  assert.throws(() => store.create(config, { id: "trial-1" }), {
    name: "TypeError",
    message: "Duplicate run id trial-1: another run has it; pass a new id or none",
  });
  assert.throws(() => store.create(config, { id: "../x" }), {
    name: "TypeError",
    message:
      /^Invalid run id: must be 1 to 100 letters, digits, - or _ \(a UUID fits\), got "..\/x"$/,
  });
  assert.equal(store.list().length, 1);
  await store.close();
});

Deno.test("only the newest finished runs are kept", async () => {
  const store = createRunStore({ launch: fakeLaunch(1), keepFinished: 2, maxQueued: 10 });
  const ids = [1, 2, 3, 4].map(() => store.create(config).id);
  await waitFor(() => store.list().every((r) => r.status === "done"), "all runs to finish");
  store.create(config);
  assert.equal(store.get(ids[0]), undefined);
  assert.ok(store.list().length <= 3);
  await store.close();
});

Deno.test("an attached training is recorded while its caller consumes it", async () => {
  const store = createRunStore({ launch: fakeLaunch() });
  const manual = manualTraining();
  const { run, events$ } = store.attach(config, manual.training);
  const seen = lastValueFrom(events$.pipe(toArray()));
  manual.emit(startEvent(2));
  manual.emit(epochEvent(1, 2));
  manual.emit(epochEvent(2, 2));
  manual.emit({ type: "end", reason: "completed", epochs: 2, steps: 4, elapsedMs: 5 });
  manual.complete();
  assert.equal((await seen).length, 4, "the caller sees every trainer event");
  assert.equal(run.status, "done");
  assert.equal(store.get(run.id), run);
  await store.close();
});

Deno.test("the stop button completes an attached training for its caller", async () => {
  const store = createRunStore({ launch: fakeLaunch() });
  const manual = manualTraining();
  const { run, events$ } = store.attach(config, manual.training);
  const done = lastValueFrom(events$.pipe(toArray()));
  manual.emit(startEvent());
  store.stop(run.id);
  assert.equal((await done).length, 1);
  assert.equal(run.status, "stopped");
  assert.equal(manual.subscribers, 0);
  await store.close();
});
