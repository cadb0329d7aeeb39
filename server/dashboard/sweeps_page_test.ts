import assert from "node:assert/strict";
import { ASSET_PATHS } from "../assets.ts";
import { withApp } from "../_testing/test_app.ts";

const TOKEN = "sweep-view-secret";
const ORIGIN = "http://127.0.0.1:8000";
const SWEEP_FILES = [
  "/sweeps",
  "/assets/sweeps.js",
  "/assets/sweep_board.js",
  "/assets/sweep_charts.js",
  "/assets/sweeps.css",
];

/** The `./name.js` modules a dashboard script imports. */
const importsOf = (source: string) =>
  [...source.matchAll(/^import [^;]* from "\.\/([\w.]+)";$/gm)].map((m) => m[1]);

Deno.test("the sweep view's page is served with a strict CSP and loads its script", async () => {
  await withApp(async ({ app }) => {
    const res = await app.request("/sweeps");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(res.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    const html = await res.text();
    assert.match(html, /<script type="module" src="\/assets\/sweeps\.js"><\/script>/);
    assert.match(html, /<a href="\/sweeps" aria-current="page">Sweeps<\/a>/);
    assert.doesNotMatch(html, /https?:\/\//, "no CDN or other outside URL");
  });
});

Deno.test("every module the sweep view imports is served, from its own file", async () => {
  await withApp(async ({ app }) => {
    const seen = new Set<string>();
    const queue = ["sweeps.js"];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const res = await app.request(`/assets/${file}`);
      assert.equal(res.status, 200, file);
      assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8", file);
      const source = await res.text();
      const own = await Deno.readTextFile(new URL(file, import.meta.url));
      assert.equal(source, own, file);
      queue.push(...importsOf(source));
    }
    assert.ok(seen.has("sweep_board.js") && seen.has("sweep_charts.js") && seen.has("api.js"));
  });
});

Deno.test("the training dashboard and the activation gallery link to the sweep view", async () => {
  await withApp(async ({ app }) => {
    for (const page of ["/", "/activations"]) {
      const html = await (await app.request(page)).text();
      assert.match(html, /<a href="\/sweeps">Sweeps<\/a>/, page);
    }
  });
});

Deno.test("with a token, the sweep view's page and scripts answer 401 without it and 200 with it", async () => {
  await withApp(async ({ app }) => {
    for (const path of SWEEP_FILES) {
      assert.ok(ASSET_PATHS.includes(path), path);
      const without = await app.request(`${ORIGIN}${path}`);
      assert.equal(without.status, 401, path);
      await without.body?.cancel();
      const bearer = await app.request(`${ORIGIN}${path}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(bearer.status, 200, `${path} with the bearer token`);
      await bearer.body?.cancel();
    }
    const printed = await app.request(`${ORIGIN}/sweeps?token=${TOKEN}&id=abc`);
    assert.equal(printed.status, 200, "the printed URL with ?token= opens the sweep view");
    await printed.body?.cancel();
  }, { token: TOKEN });
});
