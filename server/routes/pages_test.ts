import assert from "node:assert/strict";
import { createRegistry } from "../../core/checks/registry.ts";
import { elementwise } from "../../core/math/elementwise.ts";
import { builtinPlugins } from "../../plugins/mod.ts";
import { ASSET_PATHS } from "../assets.ts";
import { withApp } from "../_testing/test_app.ts";

Deno.test("the dashboard page is served by the server with a strict CSP", async () => {
  await withApp(async ({ app }) => {
    const res = await app.request("/");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(
      res.headers.get("content-security-policy") ?? "",
      /default-src 'self'; script-src 'self'/,
    );
    const html = await res.text();
    assert.match(html, /<script src="\/assets\/uplot\.min\.js"><\/script>/);
    assert.doesNotMatch(html, /https?:\/\//, "no CDN or other outside URL");
  });
});

Deno.test("every asset is served with its type, uPlot straight from its npm package", async () => {
  await withApp(async ({ app }) => {
    for (const path of ASSET_PATHS) {
      const res = await app.request(path);
      assert.equal(res.status, 200, path);
      const ext = path.startsWith("/assets/") ? path.split(".").pop()! : "html";
      const type = { html: "text/html", js: "text/javascript", css: "text/css" }[ext];
      assert.equal(res.headers.get("content-type"), `${type}; charset=utf-8`, path);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      await res.body?.cancel();
    }
    const uplot = await (await app.request("/assets/uplot.min.js")).text();
    const packaged = await Deno.readTextFile(
      new URL("uPlot.iife.min.js", import.meta.resolve("uplot")),
    );
    assert.equal(uplot, packaged);
  });
});

Deno.test("GET /api/activations samples every registered activation, custom ones too", async () => {
  const cube = elementwise({ name: "myorg/cube", f: (x) => x ** 3, df: (x) => 3 * x * x });
  const registry = createRegistry([...builtinPlugins(), cube]);
  await withApp(async ({ app }) => {
    const body = await (await app.request("/api/activations")).json();
    const names = body.activations.map((a: { name: string }) => a.name);
    assert.deepEqual(names, registry.list("activation").map((a) => a.name));
    assert.ok(names.includes("myorg/cube"));
    const sigmoid = body.activations.find((a: { name: string }) => a.name === "sigmoid");
    assert.equal(sigmoid.maxSlope, 0.25);
    assert.equal(sigmoid.y.length, body.x.length);
  }, { registry });
});

Deno.test("GET /api/options lists data sets with presets and plugins by kind", async () => {
  await withApp(async ({ app, registry }) => {
    const body = await (await app.request("/api/options")).json();
    assert.deepEqual(body.datasets.map((d: { name: string }) => d.name), [
      "mnist",
      "iris",
      "xor",
      "sine",
    ]);
    assert.equal(body.datasets[2].preset.layers.at(-1).units, 1);
    assert.deepEqual(body.losses, registry.list("loss").map((p) => p.name));
    assert.deepEqual(body.optimizers, registry.list("optimizer").map((p) => p.name));
  });
});
