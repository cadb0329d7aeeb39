import assert from "node:assert/strict";
import { elementwise } from "../math/elementwise.ts";
import { fingerprint, modelFingerprintHooks } from "./fingerprint.ts";
import { fromModelFile, toModelFile } from "../model/model_file.ts";
import { createNetwork } from "../math/network.ts";
import { createRegistry } from "./registry.ts";
import { predict } from "../math/predict.ts";
import { fakeIdentity, fakeMse, fakeSgd, fakeTanh } from "../_testing/fakes.ts";

const bent = (version = "1.0.0", k = 0.5) =>
  elementwise({
    name: "myorg/bentIdentity",
    version,
    f: (x) => k * (Math.sqrt(x * x + 1) - 1) + x,
    df: (x) => (k * x) / Math.sqrt(x * x + 1) + 1,
  });

Deno.test("fingerprints are pinned: changing the probes would orphan every saved model", () => {
  assert.equal(fingerprint(fakeIdentity), "fnv1a64:7c214aefc34b986d");
  assert.equal(fingerprint(fakeTanh), "fnv1a64:944752510854e915");
});

Deno.test("fingerprint hashes the math, not the name, and survives last-bit differences", () => {
  const half = elementwise({ name: "a", f: (x) => x / 2, df: () => 0.5 });
  const same = elementwise({ name: "b", f: (x) => 0.5 * x * (1 + 1e-13), df: () => 0.5 });
  const other = elementwise({ name: "a", f: (x) => x / 2 + 1e-3, df: () => 0.5 });
  assert.equal(fingerprint(half), fingerprint(same));
  assert.notEqual(fingerprint(half), fingerprint(other));
  assert.notEqual(fingerprint(bent("1.0.0", 0.5)), fingerprint(bent("1.0.0", 0.6)));
  assert.match(fingerprint(fakeMse), /^fnv1a64:[0-9a-f]{16}$/);
  assert.notEqual(fingerprint(fakeSgd(0.1)), fingerprint(fakeSgd(0.2)));
});

function trained(act = bent()) {
  const registry = createRegistry([fakeIdentity, fakeTanh, act]);
  const net = createNetwork({
    inputs: 2,
    layers: [{ units: 3, activation: "myorg/bentIdentity" }, { units: 1, activation: "identity" }],
  }, { registry, seed: 3 });
  return { registry, net };
}

Deno.test("a model with a custom activation round-trips with fingerprints", () => {
  const { registry, net } = trained();
  const hooks = modelFingerprintHooks();
  const text = JSON.stringify(toModelFile(net, { fingerprint: hooks.fingerprint }));
  const entry = JSON.parse(text).plugins.find((p: { name: string }) =>
    p.name === "myorg/bentIdentity"
  );
  assert.equal(entry.fingerprint, fingerprint(bent()));
  const loaded = fromModelFile(text, { registry, verify: hooks.verify });
  const x = { data: new Float32Array([0.5, -2]), rows: 1, cols: 2 };
  assert.deepEqual(predict(loaded, x).data, predict(net, x).data);
});

Deno.test("loading refuses a plugin whose math changed since the model was saved", () => {
  const { net } = trained();
  const hooks = modelFingerprintHooks();
  const text = JSON.stringify(toModelFile(net, { fingerprint: hooks.fingerprint }));
  const changed = createRegistry([fakeIdentity, bent("1.1.0", 0.6)]);
  assert.throws(() => fromModelFile(text, { registry: changed, verify: hooks.verify }), {
    name: "TypeError",
    message: new RegExp(
      '^Plugin fingerprint mismatch: the model was saved with activation "myorg/bentIdentity" 1\\.0\\.0 \\(fnv1a64:[0-9a-f]{16}\\) but the registered plugin is 1\\.1\\.0 \\(fnv1a64:[0-9a-f]{16}\\); ' +
        "the plugin's math changed since the model was saved; register the original version or retrain$",
    ),
  });
  // same math under a new version loads; so does a file saved without fingerprints
  const renamed = createRegistry([fakeIdentity, bent("1.2.0")]);
  assert.doesNotThrow(() => fromModelFile(text, { registry: renamed, verify: hooks.verify }));
  const plain = JSON.stringify(toModelFile(net));
  assert.doesNotThrow(() => fromModelFile(plain, { registry: changed, verify: hooks.verify }));
});

Deno.test("loading without the plugin names the plugins to register", () => {
  const { net } = trained();
  const text = JSON.stringify(toModelFile(net, modelFingerprintHooks()));
  assert.throws(() => fromModelFile(text, { registry: createRegistry([fakeIdentity]) }), {
    name: "TypeError",
    message:
      'Missing plugin: the model uses activation "myorg/bentIdentity" (version 1.0.0), which the registry lacks; register it with createRegistry([...builtinPlugins(), plugin]), or pass --plugin ./path/to/plugin.ts to the command',
  });
});
