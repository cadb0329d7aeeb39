import assert from "node:assert/strict";
import { createRegistry } from "../core/checks/registry.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { workersAhead } from "./_backend.ts";
import { PRESETS } from "./presets.ts";
import { lossFitIssue, parseRunConfig, type ResolvedRunConfig } from "./run_config.ts";
import { runJob } from "./run_job.ts";

Deno.test("every data set's preset loss fits its preset output layer", () => {
  const registry = createRegistry(builtinPlugins());
  for (const [name, preset] of Object.entries(PRESETS)) {
    assert.equal(lossFitIssue(preset, registry), undefined, name);
  }
});

Deno.test("runJob refuses a loss that does not fit the output layer, naming both and the fix", async () => {
  await assert.rejects(runJob(parseRunConfig({ dataset: "xor", loss: "crossEntropy" })), {
    name: "TypeError",
    message:
      'Invalid run config: loss: "crossEntropy" reads each row of outputs as one distribution over classes but the output layer has 1 unit ("sigmoid"): use binaryCrossEntropy for one sigmoid output, or 2+ softmax units (one per class) for "crossEntropy"',
  });
  await assert.rejects(runJob(parseRunConfig({ dataset: "iris", loss: "binaryCrossEntropy" })), {
    name: "TypeError",
    message:
      'Invalid run config: loss: "binaryCrossEntropy" treats each output as its own yes/no question but the output activation "softmax" on 3 units makes the outputs of a row share one distribution: use crossEntropy with "softmax" for one class per row, or sigmoid outputs for independent yes/no questions',
  });
});

Deno.test("runJob refuses a misfit loss before it opens the data or starts a Worker", async () => {
  const config = parseRunConfig({
    dataset: { csv: "big.csv", target: "y" },
    layers: [{ units: 256, activation: "relu" }, { units: 1, activation: "sigmoid" }],
    loss: "crossEntropy",
    batchSize: 256,
  });
  assert.ok(
    workersAhead(config as ResolvedRunConfig, { workers: 4 }) > 0,
    "a fitting config would start Workers",
  );
  const opened: string[] = [];
  let started = 0;
  const RealWorker = globalThis.Worker;
  globalThis.Worker = class extends RealWorker {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      started++;
      super(...args);
    }
  };
  try {
    await assert.rejects(
      runJob(config, {
        workers: 4,
        open: (path) => {
          opened.push(path);
          return new Blob(["x,y\n1,0\n"]).stream();
        },
      }),
      { name: "TypeError", message: /^Invalid run config: loss: "crossEntropy" reads each row/ },
    );
  } finally {
    globalThis.Worker = RealWorker;
  }
  assert.deepEqual(opened, []);
  assert.equal(started, 0);
});
