import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { predict } from "../../core/math/predict.ts";
import { createNetwork } from "../../core/math/network.ts";
import { createRegistry } from "../../core/checks/registry.ts";
import { saveModel } from "../../io/model_io.ts";
import { trainSmallModel } from "../../testing/small_model.ts";
import { builtinPlugins } from "../../plugins/mod.ts";
import { swish } from "../_testing/swish_plugin.ts";
import { buildEdge } from "./build_edge.ts";
import { TARGETS } from "./targets.ts";

const PLUGIN = fileURLToPath(new URL("../_testing/swish_plugin.ts", import.meta.url));

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "nagare-edge-build-" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function fetchJson(
  app: { fetch: (r: Request) => Promise<Response> },
  path: string,
  body?: unknown,
) {
  const init = body === undefined ? {} : {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  };
  const res = await app.fetch(new Request(`http://edge.test${path}`, init));
  return { status: res.status, body: await res.json() };
}

Deno.test("edge:build writes each platform's layout, and every bundle predicts like the trainer", async () => {
  await withTempDir(async (dir) => {
    const { network, x } = trainSmallModel({ hidden: "test/swish", plugins: [swish] });
    const model = join(dir, "model.json");
    await saveModel(model, network, { name: "Small Swish" });
    const expected = Array.from(predict(network, x).data);
    const inputs = Array.from(
      { length: x.rows },
      (_, r) => Array.from(x.data.subarray(r * 6, r * 6 + 6)),
    );
    for (const target of TARGETS) {
      const out = join(dir, target);
      const result = await buildEdge({ model, target, out, plugins: [PLUGIN], maxRows: 20 });
      for (const file of result.files) assert.ok((await Deno.stat(join(out, file))).isFile, file);
      const app = (await import(pathToFileURL(join(out, result.files[0])).href)).default;
      const health = await fetchJson(app, "/health");
      assert.deepEqual(health.body, {
        status: "ok",
        name: "Small Swish",
        inputs: 6,
        outputs: 3,
        classifier: true,
        maxRows: 20,
      });
      const res = await fetchJson(app, "/predict", { inputs });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.outputs.flat(), expected, target);
      assert.equal((await fetchJson(app, "/predict", { inputs: [[1, 2]] })).status, 400);
      assert.ok(result.report.some((line) => /kB minified, .* kB gzip/.test(line)), target);
    }
    const text = (path: string) => Deno.readTextFile(join(dir, path));
    assert.match(
      await text("cloudflare/wrangler.toml"),
      /^name = "small-swish"\nmain = "worker.js"\ncompatibility_date = "\d{4}-\d\d-\d\d"\n$/,
    );
    assert.match(
      await text("vercel/api/predict.js"),
      /export const config = \{ runtime: "edge" \};/,
    );
    assert.match(await text("vercel/api/health.js"), /import app from "\.\/_nagare\.js";/);
    assert.match(await text("supabase/supabase/functions/small-swish/index.ts"), /Deno\.serve\(/);
    assert.match(await text("deno/serve.js"), /Deno\.serve\(/);
  });
});

Deno.test("edge:build refuses a model whose plugin is not given, before writing anything", async () => {
  await withTempDir(async (dir) => {
    const { network } = trainSmallModel({ hidden: "test/swish", plugins: [swish], steps: 1 });
    const model = join(dir, "model.json");
    await saveModel(model, network);
    const out = join(dir, "out");
    await assert.rejects(() => buildEdge({ model, target: "cloudflare", out }), {
      name: "TypeError",
      message: /model\.json: Missing plugin: the model uses activation "test\/swish" .*--plugin/,
    });
    await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
    await saveModel(model, network, { fingerprint: () => "fnv1a64:0000000000000000" });
    await assert.rejects(() => buildEdge({ model, target: "deno", out, plugins: [PLUGIN] }), {
      name: "TypeError",
      message: /Plugin fingerprint mismatch: .*"test\/swish"/,
    });
    await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
    await assert.rejects(() => buildEdge({ model: join(dir, "nope.json"), target: "deno", out }), {
      message: /Cannot read --model .*nope\.json/,
    });
  });
});

Deno.test("sizes: inference code under 30 kB minified, MNIST-sized Cloudflare bundle under 1 MB gzip", async () => {
  await withTempDir(async (dir) => {
    const registry = createRegistry(builtinPlugins());
    const tiny = createNetwork({ inputs: 1, layers: [{ units: 1, activation: "sigmoid" }] }, {
      registry,
    });
    await saveModel(join(dir, "tiny.json"), tiny);
    const small = await buildEdge({
      model: join(dir, "tiny.json"),
      target: "cloudflare",
      out: join(dir, "tiny"),
    });
    assert.ok(small.sizes.raw < 30_000, `inference code is ${small.sizes.raw} bytes minified`);
    const mnist = createNetwork({
      inputs: 784,
      layers: [{ units: 128, activation: "relu" }, { units: 64, activation: "relu" }, {
        units: 10,
        activation: "softmax",
      }],
    }, { registry, seed: 42 });
    await saveModel(join(dir, "mnist.json"), mnist, { name: "mnist" });
    const big = await buildEdge({
      model: join(dir, "mnist.json"),
      target: "cloudflare",
      out: join(dir, "mnist"),
    });
    assert.ok(big.sizes.gzip < 1_000_000, `MNIST bundle is ${big.sizes.gzip} bytes gzip`);
    assert.ok(big.checks.every((c) => c.fits));
    console.log(
      `inference only: ${small.sizes.raw} B minified (${small.sizes.gzip} B gzip); MNIST: ${big.sizes.raw} B minified, ${big.sizes.gzip} B gzip`,
    );
  });
});

Deno.test("edge:build bundles only the model's activations, parametric ones with their parameters", async () => {
  await withTempDir(async (dir) => {
    const registry = createRegistry(builtinPlugins());
    const network = createNetwork({
      inputs: 3,
      layers: [
        { units: 5, activation: { name: "leakyRelu", params: { alpha: 0.3 } } },
        { units: 4, activation: { name: "elu", params: { alpha: 0.5 } } },
        { units: 4, activation: "tanh" },
        { units: 2, activation: "softmax" },
      ],
    }, { registry, seed: 3 });
    const model = join(dir, "model.json");
    await saveModel(model, network);
    const result = await buildEdge({ model, target: "deno", out: join(dir, "deno") });
    const bundle = await Deno.readTextFile(join(dir, "deno", result.files[0]));
    for (const name of ["leakyRelu", "elu", "tanh", "softmax"]) {
      assert.match(bundle, new RegExp(`"${name}"`));
    }
    for (const name of ["sigmoid", "softplus", "gelu", "silu", "identity", "relu"]) {
      assert.doesNotMatch(bundle, new RegExp(`name:"${name}"`), name);
    }
    const inputs = [[0.5, -1, 2], [-3, 0.25, 1]];
    const want = Array.from(
      predict(network, { data: new Float32Array(inputs.flat()), rows: 2, cols: 3 }).data,
    );
    const app = (await import(pathToFileURL(join(dir, "deno", result.files[0])).href)).default;
    const got = await fetchJson(app, "/predict", { inputs });
    assert.deepEqual(got.body.outputs.flat(), want);
  });
});
