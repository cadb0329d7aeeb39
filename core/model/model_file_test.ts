import assert from "node:assert/strict";
import { encodeFloats } from "./base64_floats.ts";
import { predict } from "../math/predict.ts";
import { fromModelFile, type ModelFile, toModelFile } from "./model_file.ts";
import { weightsChecksum } from "./model_file_schema.ts";
import { createNetwork } from "../math/network.ts";
import { createRegistry } from "../checks/registry.ts";
import { fakeIdentity, fakeSigmoid, fakeTanh } from "../_testing/fakes.ts";

const registry = createRegistry([fakeTanh, fakeSigmoid, fakeIdentity]);
const spec = {
  inputs: 3,
  layers: [{ units: 4, activation: "tanh" }, { units: 2, activation: "sigmoid" }],
};

function sample(): ModelFile {
  const net = createNetwork(spec, { registry, seed: 3 });
  return toModelFile(net, { name: "tiny", training: { seed: 3, metrics: { loss: 0.25 } } });
}
/** A deep copy to edit, the way a person would edit the JSON text. */
// deno-lint-ignore no-explicit-any -- tests poke at arbitrary JSON paths
const edit = (change: (file: Record<string, any>) => void): string => {
  const file = JSON.parse(JSON.stringify(sample()));
  change(file);
  return JSON.stringify(file);
};
const load = (input: unknown) => fromModelFile(input, { registry });

Deno.test("model file round trip gives bit-identical predictions", () => {
  const net = createNetwork(spec, { registry, seed: 3 });
  const text = JSON.stringify(toModelFile(net, { name: "tiny" }));
  const loaded = load(text);
  const x = { data: new Float32Array([0.1, -2, 3.5, 1, 0, -1]), rows: 2, cols: 3 };
  assert.deepEqual(predict(loaded, x).data, predict(net, x).data);
  assert.deepEqual(loaded.spec, spec);
});

Deno.test("model file stores format, version, plugins, training and a checksum", () => {
  const file = sample();
  assert.equal(file.format, "nagare-model");
  assert.equal(file.version, 1);
  assert.deepEqual(file.plugins.map((p) => [p.kind, p.name, p.version]), [
    ["activation", "tanh", "1.0.0"],
    ["activation", "sigmoid", "1.0.0"],
  ]);
  assert.deepEqual(file.training, { seed: 3, metrics: { loss: 0.25 } });
  assert.equal(file.weights.checksum, weightsChecksum(file.weights.layers));
});

Deno.test("toModelFile leaves createdAt out when asked, for reproducible files", () => {
  const net = createNetwork(spec, { registry, seed: 3 });
  const a = JSON.stringify(toModelFile(net, { createdAt: null }));
  assert.equal(a, JSON.stringify(toModelFile(net, { createdAt: null })));
  assert.ok(!a.includes("createdAt"));
});

Deno.test("toModelFile refuses NaN weights instead of writing a file that cannot load", () => {
  const net = createNetwork(spec, { registry, seed: 3 });
  net.layers[1].bias[1] = NaN;
  assert.throws(() => toModelFile(net), {
    name: "RangeError",
    message: /layer 1 bias\[1\] is NaN: .*lower the learning rate/,
  });
});

Deno.test("truncated JSON is refused with a hint", () => {
  const text = JSON.stringify(sample());
  assert.throws(() => load(text.slice(0, text.length / 2)), {
    name: "TypeError",
    message: /Invalid model file: not JSON .*truncated/,
  });
  assert.throws(() => load(""), { name: "TypeError", message: /not JSON/ });
});

Deno.test("wrong format and non-objects are refused in one sentence", () => {
  assert.throws(() => load(edit((f) => (f.format = "onnx"))), {
    name: "TypeError",
    message:
      'Invalid model file: format is "onnx" but must be "nagare-model"; this is not a nagare model file',
  });
  assert.throws(() => load("[1, 2]"), { name: "TypeError", message: /got an array/ });
  assert.throws(() => load("null"), { name: "TypeError", message: /got null/ });
  assert.throws(() => load({ weights: [] }), { message: /format is missing/ });
});

Deno.test("wrong versions say whether to upgrade nagare or re-export", () => {
  assert.throws(() => load(edit((f) => (f.version = 2))), {
    name: "TypeError",
    message: /version 2 is newer than this nagare reads \(1\); upgrade nagare/,
  });
  assert.throws(() => load(edit((f) => (f.version = "1"))), {
    message: /version "1": this nagare reads version 1 only; re-export the model/,
  });
  assert.throws(() => load(edit((f) => delete f.version)), { message: /version is missing/ });
});

Deno.test("unknown keys are refused, naming the key", () => {
  assert.throws(() => load(edit((f) => (f.extra = true))), {
    name: "TypeError",
    message: /extra: unknown key: remove it/,
  });
  assert.throws(() => load(edit((f) => (f.spec.layers[0].dropout = 0.5))), {
    message:
      /spec\.layers\.0\.dropout: unknown field: remove it or use one of units, activation, init/,
  });
  assert.throws(() => load(edit((f) => (f.weights.layers[1].scale = 2))), {
    message: /weights\.layers\.1\.scale: unknown key/,
  });
});

Deno.test("missing keys and bad values name the field", () => {
  assert.throws(() => load(edit((f) => delete f.weights.layers[0].bias)), {
    message: /weights\.layers\.0\.bias: missing: this field is required/,
  });
  assert.throws(() => load(edit((f) => (f.spec.layers[1].units = 0))), {
    name: "RangeError",
    message: /spec\.layers\.1\.units: must be at least 1/,
  });
  assert.throws(() => load(edit((f) => (f.training.seed = 1.5))), {
    message: /training\.seed: must be a whole number/,
  });
});

Deno.test("many problems are summed up after the first five", () => {
  const text = edit((f) => {
    f.spec.layers[0].units = f.spec.layers[1].units = -1;
    f.plugins[0].kind = f.plugins[1].kind = "metric";
    f.name = "";
    f.createdAt = "yesterday";
    f.training.seed = 0.5;
  });
  assert.throws(() => load(text), { message: /spec\.layers\.0\.units: .*; and 2 more$/ });
});

Deno.test("corrupted base64 is refused, naming the layer", () => {
  const text = edit((
    f,
  ) => (f.weights.layers[0].weights = "!" + f.weights.layers[0].weights.slice(1)));
  assert.throws(() => load(text), {
    name: "TypeError",
    message: /weights\.layers\.0\.weights: must be base64 .*corrupted/,
  });
  const spaced = edit((f) => (f.weights.layers[1].bias = " " + f.weights.layers[1].bias));
  assert.throws(() => load(spaced), { message: /weights\.layers\.1\.bias: must be base64/ });
});

Deno.test("a changed character that is still base64 fails the checksum", () => {
  const text = edit((f) => {
    const w: string = f.weights.layers[0].weights;
    f.weights.layers[0].weights = (w[0] === "A" ? "B" : "A") + w.slice(1);
  });
  assert.throws(() => load(text), {
    name: "TypeError",
    message: /weights\.checksum does not match the weights; .*re-export the model/,
  });
});

Deno.test("hand-edited sizes are refused before any weight is decoded", () => {
  assert.throws(() => load(edit((f) => (f.spec.layers[0].units = 5))), {
    name: "RangeError",
    message:
      /weights\.layers\.0\.weights has 64 base64 characters but the spec needs 15 float32 values \(80 characters\)/,
  });
  assert.throws(() => load(edit((f) => (f.spec.inputs = 2))), {
    message: /weights\.layers\.0\.weights has 64 base64 characters but the spec needs 8/,
  });
  assert.throws(() => load(edit((f) => f.weights.layers.pop())), {
    name: "RangeError",
    message: /weights\.layers has 1 entries but spec\.layers has 2/,
  });
});

Deno.test("truncated weights are refused even with the checksum removed", () => {
  const text = edit((f) => {
    delete f.weights.checksum;
    f.weights.layers[1].weights = f.weights.layers[1].weights.slice(0, 8);
  });
  assert.throws(() => load(text), { name: "RangeError", message: /truncated or was edited/ });
});

Deno.test("NaN and infinite weights are refused with their index", () => {
  const text = edit((f) => {
    f.weights.layers[1].bias = encodeFloats(new Float32Array([0.5, NaN]));
    f.weights.checksum = weightsChecksum(f.weights.layers);
  });
  assert.throws(() => load(text), {
    name: "RangeError",
    message: /weights\.layers\.1\.bias\[1\] is NaN: .*retrain/,
  });
  const inf = edit((f) => {
    f.weights.layers[1].bias = encodeFloats(new Float32Array([Infinity, 0]));
    delete f.weights.checksum;
  });
  assert.throws(() => load(inf), { message: /bias\[0\] is Infinity/ });
});

Deno.test("a plugin the registry lacks is named with how to register it", () => {
  const small = createRegistry([fakeSigmoid, fakeIdentity]);
  assert.throws(() => fromModelFile(sample(), { registry: small }), {
    name: "TypeError",
    message:
      /Missing plugin: the model uses activation "tanh" \(version 1\.0\.0\), which the registry lacks; register it with createRegistry\(\[\.\.\.builtinPlugins\(\), plugin\]\), or pass --plugin/,
  });
});

Deno.test("an activation without its plugins entry is refused", () => {
  assert.throws(() => load(edit((f) => f.plugins.shift())), {
    name: "TypeError",
    message: /spec\.layers\.0\.activation "tanh" has no entry in plugins/,
  });
});

Deno.test("a plugin of another major version is refused", () => {
  assert.throws(() => load(edit((f) => (f.plugins[1].version = "2.0.0"))), {
    name: "TypeError",
    message: /saved with activation "sigmoid" 2\.0\.0 but the registry has 1\.0\.0/,
  });
  assert.doesNotThrow(() => load(edit((f) => (f.plugins[1].version = "1.4.2"))));
});

Deno.test("the verify hook sees every stored activation entry and can refuse the model", () => {
  const seen: string[] = [];
  fromModelFile(sample(), {
    registry,
    verify: (entry, plugin) => seen.push(`${entry.name}=${plugin.name}`),
  });
  assert.deepEqual(seen, ["tanh=tanh", "sigmoid=sigmoid"]);
  assert.throws(
    () =>
      fromModelFile(sample(), {
        registry,
        verify: () => {
          throw new TypeError("Fingerprint mismatch: tanh");
        },
      }),
    { message: "Fingerprint mismatch: tanh" },
  );
});
