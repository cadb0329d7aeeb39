import assert from "node:assert/strict";
import { parseRunConfig } from "../jobs/run_config.ts";
import { launchJob } from "./launch_job.ts";
import { createRunStore } from "./run_store.ts";
import { waitFor } from "./_testing/wait_for.ts";

Deno.test("a real XOR run trains to done with a model file and test metrics", async () => {
  const store = createRunStore({ launch: launchJob({ backend: "ts" }) });
  try {
    const run = store.create(parseRunConfig({ dataset: "xor", epochs: 20 }));
    await waitFor(() => run.status !== "running", "the run to end", 20_000);
    assert.equal(run.status, "done", run.error ?? "");
    assert.equal(run.metrics?.epoch, 20);
    assert.equal(run.metrics?.layers.length, 2);
    assert.equal(run.model?.format, "nagare-model");
    assert.equal((run.test as { samples: number }).samples, 4);
    const end = run.log.since(0).find((e) => e.event === "end")?.data as Record<string, unknown>;
    assert.equal(end.reason, "completed");
    assert.deepEqual(end.test, run.test);
  } finally {
    await store.close();
  }
});

Deno.test("a run whose layers do not fit the data set fails with the fix", async () => {
  const store = createRunStore({ launch: launchJob({ backend: "ts" }) });
  try {
    const run = store.create(
      parseRunConfig({
        dataset: "xor",
        layers: [{ units: 4 }, { units: 3, activation: "sigmoid" }],
      }),
    );
    await waitFor(() => run.status !== "running", "the run to end");
    assert.equal(run.status, "failed");
    assert.match(run.error ?? "", /end the layers with 1 units/);
  } finally {
    await store.close();
  }
});
