import assert from "node:assert/strict";
import { parseRunConfig } from "../jobs/run_config.ts";
import { launchJob } from "./launch_job.ts";
import type { Run } from "./run.ts";
import { openRunRecords } from "./run_records.ts";
import { createRunStore } from "./run_store.ts";
import { waitFor } from "./_testing/wait_for.ts";

const config = parseRunConfig({ dataset: "xor", epochs: 12, batchSize: 1, seed: 7 });

function weightsOf(model: unknown): string {
  const weights = (model as { weights?: { layers?: unknown[] } } | undefined)?.weights;
  assert.ok((weights?.layers?.length ?? 0) > 0, "a model file with weights");
  return JSON.stringify(weights);
}

/** Resolves once the run's log has an epoch event for `epoch`, then runs `then` in that same turn. */
function atEpoch(run: Run, epoch: number, then: () => void): Promise<void> {
  return new Promise((resolve) => {
    const off = run.log.subscribe({
      next(event) {
        if (event.event === "epoch" && (event.data as { epoch: number }).epoch === epoch) {
          off();
          then();
          resolve();
        }
      },
      close: () => resolve(),
    });
  });
}

async function trainedModel(): Promise<unknown> {
  const store = createRunStore({ launch: launchJob() });
  const run = store.create(config);
  await waitFor(() => run.status === "done", "the uninterrupted run", 60_000);
  const model = store.model(run.id);
  await store.close();
  return model;
}

Deno.test("a recorded run is listed with its events and model by the next store on the same folder", async () => {
  const dir = await Deno.makeTempDir();
  let records = openRunRecords(dir);
  let store = createRunStore({ launch: launchJob(), records });
  const run = store.create(config);
  await waitFor(() => run.status === "done", "the run to finish", 60_000);
  const events = run.log.since(0).map(({ id, event, data }) => ({ id, event, data }));
  const model = store.model(run.id);
  await store.close();
  records.close();

  records = openRunRecords(dir);
  store = createRunStore({ launch: launchJob(), records });
  const again = store.get(run.id)!;
  assert.equal(again.status, "done");
  assert.deepEqual(again.metrics, run.metrics);
  assert.deepEqual(again.log.since(0).map(({ id, event, data }) => ({ id, event, data })), events);
  assert.equal(again.log.closed, true);
  assert.deepEqual(store.model(run.id), model);
  assert.deepEqual(store.list().map((r) => r.id), [run.id]);
  await store.close();
  records.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a run cut off mid-training resumes from its checkpoint to the weights of an uninterrupted run", async () => {
  const expected = await trainedModel();
  const dir = await Deno.makeTempDir();
  let records = openRunRecords(dir);
  let store = createRunStore({ launch: launchJob(), records });
  const run = store.create(config);
  // The server stops right after epoch 4 is recorded, while epoch 5 trains.
  await atEpoch(run, 4, () => void store.close());
  await store.close();
  records.close();
  assert.equal(records.db.path.endsWith("runs.db"), true);

  records = openRunRecords(dir);
  store = createRunStore({ launch: launchJob(), records });
  const resumed = store.get(run.id)!;
  await waitFor(() => resumed.status === "done", "the resumed run to finish", 60_000);
  assert.equal(weightsOf(store.model(run.id)), weightsOf(expected));
  const epochs = resumed.log.since(0).filter((e) => e.event === "epoch")
    .map((e) => (e.data as { epoch: number }).epoch);
  assert.deepEqual(epochs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "every epoch exactly once");
  const statuses = resumed.log.since(0).filter((e) => e.event === "status")
    .map((e) => e.data as { status: string; fromEpoch?: number });
  assert.deepEqual(statuses.slice(-4).map((s) => s.status), [
    "queued",
    "running",
    "running",
    "done",
  ]);
  assert.equal(statuses.at(-2)?.fromEpoch, 5, "it went on from epoch 5, not from scratch");
  await store.close();
  records.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a csv run resumed after a restart opens the file it was admitted with, and refuses another", async () => {
  const { admitRunConfig } = await import("./run_policy.ts");
  const { createRegistry } = await import("../core/checks/registry.ts");
  const { builtinPlugins } = await import("../plugins/mod.ts");
  const dataDir = await Deno.makeTempDir(), dir = await Deno.makeTempDir();
  const rows = Array.from({ length: 200 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2}`);
  await Deno.writeTextFile(`${dataDir}/points.csv`, ["a,b,label", ...rows].join("\n"));
  const body = { dataset: { csv: "points.csv", target: "label" }, epochs: 12, seed: 3 };
  const admit = async () => {
    const admitted = await admitRunConfig(body, {
      registry: createRegistry(builtinPlugins()),
      dataDir,
    });
    assert.ok(admitted.ok);
    return admitted.config;
  };
  const records = openRunRecords(dir);
  const store = createRunStore({ launch: launchJob(), records });
  const run = store.create(await admit());
  await atEpoch(run, 3, () => void store.close());
  await store.close();
  records.close();

  const reopened = openRunRecords(dir);
  const again = createRunStore({ launch: launchJob(), records: reopened });
  const resumed = again.get(run.id)!;
  await waitFor(() => resumed.status === "done", "the resumed csv run to finish", 60_000);
  assert.equal(JSON.stringify(resumed.config.dataset), '{"csv":"points.csv","target":"label"}');
  await again.close();
  reopened.close();

  // The same file replaced by another before a resume: the run fails without reading it.
  const third = openRunRecords(dir);
  const fresh = createRunStore({ launch: launchJob(), records: third });
  const other = fresh.create(await admit());
  await atEpoch(other, 2, () => void fresh.close());
  await fresh.close();
  third.close();
  await Deno.writeTextFile(`${dataDir}/other.csv`, "a,b,label\nsecret,1,0\n");
  await Deno.rename(`${dataDir}/other.csv`, `${dataDir}/points.csv`);
  const last = openRunRecords(dir);
  const after = createRunStore({ launch: launchJob(), records: last });
  const failed = after.get(other.id)!;
  await waitFor(() => failed.status === "failed", "the swapped file to fail the run", 60_000);
  assert.match(failed.error ?? "", /changed since the run was admitted/);
  assert.doesNotMatch(failed.error ?? "", /secret/);
  await after.close();
  last.close();
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("finished runs past keepFinished or older than keepDays leave the database with their events and models", async () => {
  const dir = await Deno.makeTempDir();
  const records = openRunRecords(dir);
  let clock = Date.now();
  const store = createRunStore({
    launch: launchJob(),
    records,
    keepFinished: 2,
    keepDays: 30,
    now: () => clock,
  });
  const tiny = parseRunConfig({ dataset: "xor", epochs: 2 });
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const run = store.create(tiny);
    await waitFor(() => run.status === "done", "a run to finish", 60_000);
    runs.push(run);
  }
  const ids = () => records.db.runs().map((row) => row.id);
  assert.deepEqual(ids(), [runs[1].id, runs[2].id], "the oldest of three went");
  assert.deepEqual(records.db.events(runs[0].id), []);
  assert.equal(records.db.model(runs[0].id), undefined);
  clock += 31 * 864e5; // a month later, the next look at the runs sweeps them all
  assert.deepEqual(store.list(), []);
  assert.deepEqual(ids(), []);
  await store.close();
  records.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a server lists the runs deno task train recorded in its state folder, with their curves", async () => {
  const dir = await Deno.makeTempDir();
  const cli = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "-A",
      "--config",
      new URL("../deno.json", import.meta.url).pathname,
      new URL("../cli/train.ts", import.meta.url).pathname,
      ...[
        "--dataset",
        "xor",
        "--epochs",
        "5",
        "--quiet",
        "--state-dir",
        dir,
        "--out",
        `${dir}/m.json`,
      ],
    ],
  });
  const { code, stderr } = await cli.output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const records = openRunRecords(dir);
  const store = createRunStore({ launch: launchJob(), records });
  const [run] = store.list();
  assert.equal(run.status, "done");
  assert.equal(run.config.dataset, "xor");
  const epochs = run.log.since(0).filter((e) => e.event === "epoch")
    .map((e) => (e.data as { epoch: number }).epoch);
  assert.deepEqual(epochs, [1, 2, 3, 4, 5]);
  assert.ok(store.model(run.id), "its model downloads from the server");
  await store.close();
  records.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a run another live process records is listed but cannot be stopped from here", async () => {
  const dir = await Deno.makeTempDir();
  const cli = openRunRecords(dir), server = openRunRecords(dir);
  const run = cli.create("cli-run", config, "cli");
  run.log.append("status", { status: "running" });
  const store = createRunStore({ launch: launchJob(), records: server });
  assert.equal(store.get("cli-run")?.id, "cli-run");
  assert.throws(() => store.stop("cli-run"), /trained by another process \(deno task train\)/);
  await store.close();
  server.close();
  cli.close();
  await Deno.remove(dir, { recursive: true });
});
