// Stop means one thing everywhere: a stopped run keeps the weights it reached, marked
// stopped, and its model downloads (also after a restart, from the state database).
import assert from "node:assert/strict";
import { parseRunConfig } from "../jobs/run_config.ts";
import { openRunRecords } from "./run_records.ts";
import { createRunStore } from "./run_store.ts";
import { launchInWorker } from "./worker_launch.ts";
import { waitFor } from "./_testing/wait_for.ts";

Deno.test("a run stopped mid-training keeps the weights it reached, also after a restart", async () => {
  const dir = await Deno.makeTempDir();
  const config = parseRunConfig({ dataset: "xor", epochs: 1_000_000 });
  let records = openRunRecords(dir);
  let store = createRunStore({ launch: launchInWorker(), records });
  const run = store.create(config);
  await waitFor(() => (run.metrics?.epoch ?? 0) >= 3, "a few epochs", 60_000);
  store.stop(run.id);
  await waitFor(() => run.status === "stopped", "the run to stop", 60_000);
  const model = store.model(run.id) as { format: string; weights: unknown } | undefined;
  assert.equal(model?.format, "nagare-model", "the stopped run has a model");
  await store.close();
  records.close();

  records = openRunRecords(dir);
  store = createRunStore({ launch: launchInWorker(), records });
  assert.equal(store.get(run.id)?.status, "stopped");
  assert.deepEqual(
    (store.model(run.id) as { weights: unknown } | undefined)?.weights,
    model.weights,
    "the same weights from the state database",
  );
  await store.close();
  records.close();
  await Deno.remove(dir, { recursive: true });
});
