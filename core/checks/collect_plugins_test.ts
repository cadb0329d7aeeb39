import assert from "node:assert/strict";
import { elementwise } from "../math/elementwise.ts";
import { collectPlugins } from "./collect_plugins.ts";

const square = elementwise({ name: "square", f: (x) => x * x, df: (x) => 2 * x });
const cube = elementwise({ name: "cube", f: (x) => x ** 3, df: (x) => 3 * x * x });

Deno.test("collectPlugins takes a default array and named plugin exports once each", () => {
  const found = collectPlugins({ default: [square], square, cube, helper: () => 1, VERSION: "1" });
  assert.deepEqual(found.map((p) => p.name), ["square", "cube"]);
});

Deno.test("collectPlugins takes a single default plugin", () => {
  assert.deepEqual(collectPlugins({ default: cube }), [cube]);
});

Deno.test("collectPlugins refuses a default array holding a factory", () => {
  assert.throws(() => collectPlugins({ default: [square, () => square] }, "./act.ts"), {
    name: "TypeError",
    message: /item 1 of the default export of \.\/act\.ts is not a plugin object/,
  });
});

Deno.test("collectPlugins refuses a module without plugins", () => {
  assert.throws(() => collectPlugins({ makeSquare: () => square }, "./act.ts"), {
    name: "TypeError",
    message: /No plugins in \.\/act\.ts: export plugin objects/,
  });
});
