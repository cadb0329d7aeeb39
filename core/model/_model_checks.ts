// Checks fromModelFile runs after the schema: plugin entries, plugin versions,
// the registry, sizes and finite weights. Internal to core.
import { decodeFloats } from "./base64_floats.ts";
import { refName, refParams } from "../checks/plugin_ref.ts";
import type { ModelFile, PluginEntry } from "./model_file_schema.ts";
import type { Registry } from "../checks/registry.ts";
import type { ActivationPlugin, Floats, PluginParams, PluginRef } from "../math/types.ts";

export function sameParams(a: PluginParams | undefined, b: PluginParams | undefined): boolean {
  const ka = Object.keys(a ?? {}), kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => a![k] === b?.[k]);
}

export function checkFinite(values: Floats, where: string, hint: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(`${where}[${i}] is ${values[i]}: ${hint}`);
    }
  }
}

export function findEntry(file: ModelFile, ref: PluginRef, layer: number): PluginEntry {
  const named = file.plugins.filter((p) => p.kind === "activation" && p.name === refName(ref));
  const entry = named.find((p) => sameParams(p.params, refParams(ref))) ?? named[0];
  if (!entry) {
    throw new TypeError(
      `Invalid model file: spec.layers.${layer}.activation "${
        refName(ref)
      }" has no entry in plugins; the file was edited, re-export the model`,
    );
  }
  return entry;
}

export function checkPlugins(
  file: ModelFile,
  refs: PluginRef[],
  registry: Pick<Registry, "has">,
): void {
  const missing = [...new Set(refs.map(refName))].filter((n) => !registry.has("activation", n));
  if (missing.length > 0) {
    const names = missing.map((name) => {
      const version = file.plugins.find((p) => p.kind === "activation" && p.name === name)?.version;
      return `"${name}"${version ? ` (version ${version})` : ""}`;
    });
    throw new TypeError(
      `Missing plugin: the model uses activation ${names.join(", ")}, which the registry lacks; ` +
        "register it with createRegistry([...builtinPlugins(), plugin]), " +
        "or pass --plugin ./path/to/plugin.ts to the command",
    );
  }
}

export function checkVersion(entry: PluginEntry, plugin: ActivationPlugin): void {
  const major = (version: string | undefined) => version?.split(".")[0];
  if (entry.version && plugin.version && major(entry.version) !== major(plugin.version)) {
    throw new TypeError(
      `Plugin version mismatch: the model was saved with activation "${entry.name}" ${entry.version} but the registry has ${plugin.version}; register a ${entry.version} compatible plugin or retrain the model`,
    );
  }
}

export function decodeLayer(text: string, count: number, where: string): Float32Array {
  const expected = 4 * Math.ceil((count * 4) / 3);
  if (text.length !== expected) {
    throw new RangeError(
      `Invalid model file: ${where} has ${text.length} base64 characters but the spec needs ${count} float32 values (${expected} characters); the file is truncated or was edited, re-export the model`,
    );
  }
  const values = decodeFloats(text);
  checkFinite(
    values,
    `Invalid model file: ${where}`,
    "NaN and infinite weights cannot be used; retrain the model",
  );
  return values;
}
