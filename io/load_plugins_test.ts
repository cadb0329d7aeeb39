import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { loadPluginModules } from "./load_plugins.ts";

const core = new URL("../core/math/", import.meta.url);
const elementwiseUrl = new URL("elementwise.ts", core).href;

async function withModules(files: Record<string, string>, run: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "nagare_plugins_" });
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(join(dir, name), text);
    }
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const swishModule = `import { elementwise } from ${JSON.stringify(elementwiseUrl)};
const s = (x: number) => 1 / (1 + Math.exp(-x));
export const swish = elementwise({ name: "myorg/swish", f: (x) => x * s(x), df: (x) => s(x) * (1 + x * (1 - s(x))) });
export const cube = elementwise({ name: "myorg/cube", f: (x) => x ** 3, df: (x) => 3 * x * x });
export default [swish];
export const VERSION = "1";
`;

Deno.test("loadPluginModules collects default and named plugin exports once each, relative to cwd", async () => {
  await withModules({ "acts.ts": swishModule }, async (dir) => {
    const path = relative(Deno.cwd(), join(dir, "acts.ts"));
    const plugins = await loadPluginModules([path, join(dir, "acts.ts")]);
    assert.deepEqual(plugins.map((p) => p.name), ["myorg/swish", "myorg/cube"]);
  });
});

Deno.test("loadPluginModules names a missing file", async () => {
  await assert.rejects(() => loadPluginModules(["./no/such/plugin.ts"]), (e: Error) => {
    assert.ok(e instanceof Deno.errors.NotFound);
    assert.match(
      e.message,
      /^Plugin module not found: \.\/no\/such\/plugin\.ts \(looked at .*plugin\.ts\); check the path$/,
    );
    return true;
  });
});

Deno.test("loadPluginModules refuses URLs and directories", async () => {
  await assert.rejects(() => loadPluginModules(["https://example.com/p.ts"]), {
    name: "TypeError",
    message:
      /^Invalid plugin path "https:\/\/example\.com\/p\.ts": plugins load from local files only/,
  });
  await assert.rejects(() => loadPluginModules(["."]), {
    name: "TypeError",
    message: /it is a directory/,
  });
});

Deno.test("loadPluginModules names a module that fails to import or exports no plugin", async () => {
  await withModules(
    { "broken.ts": "export const = ;", "empty.ts": "export const answer = 42;\n" },
    async (dir) => {
      await assert.rejects(() => loadPluginModules([join(dir, "broken.ts")]), {
        name: "TypeError",
        message:
          /^Cannot import plugin module .*broken\.ts: .*; fix the module \(deno check .*broken\.ts shows its errors\)$/,
      });
      await assert.rejects(() => loadPluginModules([join(dir, "empty.ts")]), {
        name: "TypeError",
        message: /^No plugins in .*empty\.ts: export plugin objects/,
      });
    },
  );
});
