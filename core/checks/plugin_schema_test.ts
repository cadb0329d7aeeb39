import assert from "node:assert/strict";
import { elementwise } from "../math/elementwise.ts";
import { parsePluginShape, PLUGIN_NAME, PLUGIN_VERSION } from "./plugin_schema.ts";

const swish = elementwise({ name: "myorg/swish", f: (x) => x, df: () => 1 });

Deno.test("plugin shape returns the very same object when valid", () => {
  assert.equal(parsePluginShape(swish), swish);
});

Deno.test("plugin names are lowercase or camelCase segments joined by a slash", () => {
  for (const ok of ["relu", "leakyRelu", "myorg/swish", "acme-ai/bentIdentity", "a/b/c2"]) {
    assert.match(ok, PLUGIN_NAME);
  }
  for (
    const bad of ["", "Relu", "my org/swish", "myorg/", "/swish", "my_org/swish", "myorg//x", "2x"]
  ) {
    assert.doesNotMatch(bad, PLUGIN_NAME, bad);
  }
  assert.throws(() => parsePluginShape({ ...swish, name: "MyOrg/Swish" }), {
    name: "TypeError",
    message:
      'Invalid plugin "MyOrg/Swish": name must be lowercase or camelCase segments joined by "/", such as "myorg/swish"',
  });
});

Deno.test("plugin versions are semver-ish", () => {
  for (const ok of ["1", "1.2", "1.2.3", "2.1.0-beta.1", "1.0.0+build.5"]) {
    assert.match(ok, PLUGIN_VERSION);
  }
  for (const bad of ["v1", "1.2.3.4", "latest", ""]) assert.doesNotMatch(bad, PLUGIN_VERSION, bad);
  assert.throws(() => parsePluginShape({ ...swish, version: "v1" }), {
    name: "TypeError",
    message:
      'Invalid plugin "myorg/swish": version must be a version such as "1.0.0" or "2.1.0-beta.1"',
  });
});

Deno.test("plugin shape names every missing function of the kind", () => {
  assert.throws(
    () => parsePluginShape({ kind: "activation", name: "myorg/swish", backward() {} }),
    {
      name: "TypeError",
      message: 'Invalid plugin "myorg/swish": forward must be a function',
    },
  );
  assert.throws(
    () => parsePluginShape({ kind: "loss", name: "l", loss() {}, fused: { activation: "s" } }),
    {
      name: "TypeError",
      message:
        'Invalid plugin "l": input must be probabilities, logits or values; gradient must be a function; fused.loss must be a function; fused.gradient must be a function',
    },
  );
  assert.throws(() => parsePluginShape({ kind: "optimizer", name: "o", lr: 0.1 }), {
    name: "TypeError",
    message: 'Invalid plugin "o": slots must be a whole number; update must be a function',
  });
});

Deno.test("numbers out of range are RangeErrors naming the field", () => {
  assert.throws(
    () => parsePluginShape({ kind: "optimizer", name: "o", lr: -1, slots: 0, update() {} }),
    {
      name: "RangeError",
      message: 'Invalid plugin "o": lr must be 0 or more',
    },
  );
  assert.throws(() => parsePluginShape({ ...swish, params: { alpha: NaN } }), {
    name: "RangeError",
    message: 'Invalid plugin "myorg/swish": params.alpha must be a finite number',
  });
});

Deno.test("plugin shape refuses non-objects and unknown kinds", () => {
  assert.throws(() => parsePluginShape(() => swish), {
    name: "TypeError",
    message: "Invalid plugin: expected a plugin object { kind, name, ... }, got function",
  });
  assert.throws(() => parsePluginShape({ kind: "layer", name: "dense" }), {
    name: "TypeError",
    message:
      'Invalid plugin "dense": kind must be "activation", "loss" or "optimizer", got "layer"',
  });
});
