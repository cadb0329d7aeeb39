import assert from "node:assert/strict";
import { builtinActivations } from "../../plugins/activations/mod.ts";
import { BUILTIN_ACTIVATION_MODULES } from "./builtin_modules.ts";

Deno.test("every built-in activation, and only those, has its module and export", async () => {
  const names = builtinActivations().map((a) => a.name);
  assert.deepEqual(Object.keys(BUILTIN_ACTIVATION_MODULES).sort(), [...names].sort());
  for (const name of names) {
    const { file, name: exported, factory } = BUILTIN_ACTIVATION_MODULES[name];
    const module = await import(`../../plugins/activations/${file}`);
    const plugin = factory ? module[exported]() : module[exported];
    assert.equal(plugin.kind, "activation", name);
    assert.equal(plugin.name, name);
  }
});
