import assert from "node:assert/strict";
import { join } from "node:path";
import { predict } from "../core/math/predict.ts";
import { createRegistry } from "../core/checks/registry.ts";
import { fingerprint, modelFingerprintHooks } from "../core/checks/fingerprint.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { loadModel, saveModel } from "./model_io.ts";
import { trainSmallModel } from "../testing/small_model.ts";

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "nagare-model-io-" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("train, save, load, predict: outputs are bit-identical to the in-memory model", async () => {
  await withTempDir(async (dir) => {
    const { network, registry, x } = trainSmallModel();
    const path = join(dir, "model.json");
    const file = await saveModel(path, network, {
      name: "small",
      training: { seed: 7, config: { steps: 20 }, metrics: { loss: 0.5 } },
    });
    assert.equal(file.name, "small");
    const loaded = await loadModel(path, { registry });
    const before = predict(network, x).data, after = predict(loaded, x).data;
    assert.equal(after.length, before.length);
    for (let i = 0; i < before.length; i++) {
      assert.ok(Object.is(after[i], before[i]), `output ${i}`);
    }
    const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
    assert.deepEqual(names, ["model.json"]);
  });
});

Deno.test("loadModel names the path in errors and keeps their type", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "broken.json");
    await Deno.writeTextFile(path, '{"format": "nagare-model", "version": 1');
    const registry = createRegistry(builtinPlugins());
    await assert.rejects(() => loadModel(path, { registry }), {
      name: "TypeError",
      message: new RegExp(`^${path.replaceAll(/[.\\]/g, "\\$&")}: Invalid model file: not JSON`),
    });
    await assert.rejects(
      () => loadModel(join(dir, "nope.json"), { registry }),
      (error: Error) =>
        error instanceof Deno.errors.NotFound &&
        /Model file not found: .*nope\.json/.test(error.message),
    );
  });
});

Deno.test("saveModel stores each activation's fingerprint, so a changed plugin is refused", async () => {
  await withTempDir(async (dir) => {
    const { network, registry } = trainSmallModel();
    const path = join(dir, "model.json");
    const file = await saveModel(path, network);
    const activations = file.plugins.filter((p) => p.kind === "activation");
    assert.ok(activations.length > 0);
    for (const entry of activations) {
      assert.equal(entry.fingerprint, fingerprint(registry.get("activation", entry.name)));
    }
    const { verify } = modelFingerprintHooks();
    await loadModel(path, { registry, verify }); // the same plugins: accepted
    await saveModel(path, network, { fingerprint: () => "fnv1a64:0000000000000000" });
    await assert.rejects(() => loadModel(path, { registry, verify }), {
      name: "TypeError",
      message: /Plugin fingerprint mismatch/,
    });
  });
});
