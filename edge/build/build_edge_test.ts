import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { predict } from "../../core/math/predict.ts";
import { createNetwork } from "../../core/math/network.ts";
import { createRegistry } from "../../core/checks/registry.ts";
import { saveModel } from "../../io/model_io.ts";
import { modelFingerprintHooks } from "../../core/checks/fingerprint.ts";
import { toModelFile } from "../../core/model/model_file.ts";
import { multiplyAdds } from "./cpu_budget.ts";
import { trainSmallModel } from "../../testing/small_model.ts";
import { builtinPlugins } from "../../plugins/mod.ts";
import { swish } from "../_testing/swish_plugin.ts";
import { buildEdge } from "./build_edge.ts";
import { TARGETS } from "./targets.ts";

const PLUGIN = fileURLToPath(new URL("../_testing/swish_plugin.ts", import.meta.url));
const WASM = new URL("../../wasm/gemm_simd.wasm", import.meta.url);

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
      if (target === "cloudflare") {
        // A .wasm imported as a module is workerd's form, not Deno's: e2e_test.ts runs it there.
        assert.deepEqual(await Deno.readFile(join(out, "kernels.wasm")), await Deno.readFile(WASM));
        assert.match(await Deno.readTextFile(join(out, "worker.js")), /from ?"\.\/kernels\.wasm"/);
        continue;
      }
      const app = (await import(pathToFileURL(join(out, result.files[0])).href)).default;
      const health = await fetchJson(app, "/health");
      const kernels = target === "vercel" ? "ts" : "wasm-simd";
      assert.deepEqual(health.body, {
        status: "ok",
        name: "Small Swish",
        inputs: 6,
        outputs: 3,
        classifier: true,
        maxRows: 20,
        kernels,
      });
      const res = await fetchJson(app, "/predict", { inputs });
      assert.equal(res.status, 200);
      const outputs: number[] = res.body.outputs.flat();
      if (kernels === "ts") assert.deepEqual(outputs, expected, target);
      outputs.forEach((y, i) => assert.ok(Math.abs(y - expected[i]) <= 1e-6, `${target} ${i}`));
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
      message: /Plugin math changed: the activation "test\/swish" from --plugin .*swish_plugin\.ts/,
    });
    await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
    await assert.rejects(() => buildEdge({ model: join(dir, "nope.json"), target: "deno", out }), {
      name: "NotFound",
      message:
        /^--model: .*nope\.json: no such file; train one with deno task train or pass its path$/,
    });
  });
});

// 38 kB: the handler, the table that reads named rows (about 3.6 kB), the model file check, the
// forward pass, the runner of the wasm kernels (about 2.8 kB; the 12.3 kB kernels.wasm ships
// beside the bundle), input checks whose error messages quote bad values cut short, CORS, and
// one activation; README reports the measured figures.
Deno.test("sizes: inference code under 38 kB minified, MNIST-sized Cloudflare bundle under 1 MB gzip", async () => {
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
    assert.ok(small.sizes.raw < 38_000, `inference code is ${small.sizes.raw} bytes minified`);
    assert.ok(small.sizes.kernels!.raw < 13_000, `kernels are ${small.sizes.kernels!.raw} bytes`);
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
    const got: number[] = (await fetchJson(app, "/predict", { inputs })).body.outputs.flat();
    got.forEach((y, i) =>
      assert.ok(Math.abs(y - want[i]) <= 1e-6, `output ${i}: ${y} vs ${want[i]}`)
    );
  });
});

/** A module like swish_plugin.ts whose swish is x·σ(1.01x): outputs off by up to ~4e-3 on [-4, 4]. */
async function changedSwish(dir: string): Promise<string> {
  const path = join(dir, "swish_changed.ts");
  const elementwise = new URL("../../core/math/elementwise.ts", import.meta.url).href;
  await Deno.writeTextFile(
    path,
    `import { elementwise } from ${JSON.stringify(elementwise)};
const sigma = (x: number) => 1 / (1 + Math.exp(-1.01 * x));
export const swish = elementwise({
  name: "test/swish",
  version: "1.0.0",
  f: (x) => x * sigma(x),
  df: (x, y) => sigma(x) + 1.01 * y * (1 - sigma(x)),
});
`,
  );
  return path;
}

Deno.test("edge:build refuses a custom plugin whose math changed since training, naming it and the fix", async () => {
  await withTempDir(async (dir) => {
    const { network, x } = trainSmallModel({ hidden: "test/swish", plugins: [swish], steps: 50 });
    const model = join(dir, "model.json");
    await saveModel(model, network, { fingerprint: modelFingerprintHooks().fingerprint });
    const changed = await changedSwish(dir);
    const out = join(dir, "out");
    await assert.rejects(
      () => buildEdge({ model, target: "cloudflare", out, plugins: [changed] }),
      {
        name: "TypeError",
        message: new RegExp(
          '^.*model\\.json: Plugin math changed: the activation "test/swish" from --plugin .*swish_changed\\.ts computes other values than when the model was trained \\(fingerprint fnv1a64:[0-9a-f]{16} then, fnv1a64:[0-9a-f]{16} now\\), so the bundle would answer differently from the trained model: pass the plugin module the model was trained with, or retrain the model with this one',
        ),
      },
    );
    await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
    // The same plugin module passes; so does a model that stores no fingerprint, with a warning.
    const same = await buildEdge({ model, target: "deno", out, plugins: [PLUGIN], rowCost });
    assert.ok(!same.report.some((line) => line.startsWith("warning:")), same.report.join("\n"));
    const bare = join(dir, "bare.json");
    await Deno.writeTextFile(bare, JSON.stringify(toModelFile(network)));
    const built = await buildEdge({
      model: bare,
      target: "deno",
      out,
      plugins: [changed],
      rowCost,
    });
    assert.ok(
      built.report.includes(
        `warning: ${bare} stores no fingerprint of activation "test/swish" (--plugin ${changed}), so edge:build cannot check that its math is the one the model was trained with; models saved with fingerprints (saveModel does) are checked`,
      ),
      built.report.join("\n"),
    );
    // What the warning is about: the bundle answers differently from the trained model.
    const app = (await import(pathToFileURL(join(out, built.files[0])).href)).default;
    const inputs = Array.from(
      { length: x.rows },
      (_, r) => Array.from(x.data.subarray(r * 6, r * 6 + 6)),
    );
    const got = (await fetchJson(app, "/predict", { inputs })).body.outputs.flat() as number[];
    const want = Array.from(predict(network, x).data);
    assert.ok(got.some((y, i) => Math.abs(y - want[i]) > 1e-4));
  });
});

/** A fixed cost per row, as measured for MNIST on a 2-core build machine: tests do not time. */
const rowCost = { rowMs: 0.17, requestMs: 0.05 };

Deno.test("edge:build sizes the default --max-rows to the target's strictest CPU limit and reports each plan", async () => {
  await withTempDir(async (dir) => {
    const { network } = trainSmallModel({ steps: 1 });
    const model = join(dir, "model.json");
    await saveModel(model, network, { name: "cpu" });
    const cloudflare = await buildEdge({
      model,
      target: "cloudflare",
      out: join(dir, "cf"),
      rowCost,
    });
    assert.equal(cloudflare.maxRows, 20);
    assert.equal(cloudflare.cpu.multiplyAdds, multiplyAdds(network));
    // The handler gets maxRows: 20 (workerd runs this bundle in e2e_test.ts; Deno cannot import its .wasm).
    assert.match(await Deno.readTextFile(join(dir, "cf", cloudflare.files[0])), /maxRows:20\b/);
    const report = cloudflare.report.join("\n");
    assert.match(
      report,
      /^CPU per request: \d+ multiply-adds a row; measured here after a warm-up/m,
    );
    assert.match(report, /^ {2}Workers Free: 10 ms CPU: up to 29 rows$/m);
    assert.match(report, /^ {2}--max-rows 20: the default, sized for Workers Free/m);
    assert.match(report, /CPU limits from developers\.cloudflare\.com\/workers\/platform\/limits/);
    const supabase = await buildEdge({ model, target: "supabase", out: join(dir, "sb"), rowCost });
    assert.equal(supabase.maxRows, 1000);
    const given = await buildEdge({
      model,
      target: "cloudflare",
      out: join(dir, "cf"),
      maxRows: 1000,
      rowCost,
    });
    assert.equal(given.maxRows, 1000);
    assert.match(
      given.report.join("\n"),
      /--max-rows 1,000: about 170 ms per full request; warning: too many for Workers Free/,
    );
    await assert.rejects(
      () => buildEdge({ model, target: "deno", out: join(dir, "x"), maxRows: 10_001, rowCost }),
      { name: "RangeError", message: /^Invalid maxRows: 10001 is more than 10000/ },
    );
    // Without rowCost the handler is measured here: some positive cost, whatever this machine's speed.
    const measured = await buildEdge({ model, target: "deno", out: join(dir, "m") });
    assert.ok(measured.cpu.rowMs > 0 && measured.maxRows >= 1 && measured.maxRows <= 1000);
  });
});

Deno.test("edge:build --cors-origin: the bundle answers preflights for that origin; a bad origin writes nothing", async () => {
  await withTempDir(async (dir) => {
    const { network } = trainSmallModel({ steps: 1 });
    const model = join(dir, "model.json");
    await saveModel(model, network);
    const origin = "https://app.example.com";
    const out = join(dir, "vercel");
    const result = await buildEdge({ model, target: "vercel", out, corsOrigin: origin, rowCost });
    assert.ok(result.report.includes(`CORS: answers preflights and allows the origin ${origin}`));
    const app = (await import(pathToFileURL(join(out, result.files[0])).href)).default;
    const pre = await app.fetch(new Request("http://edge.test/api/predict", { method: "OPTIONS" }));
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), origin);
    const plain = await buildEdge({ model, target: "deno", out: join(dir, "deno"), rowCost });
    const noCors = (await import(pathToFileURL(join(dir, "deno", plain.files[0])).href)).default;
    const res = await noCors.fetch(new Request("http://edge.test/health"));
    assert.equal(res.headers.get("access-control-allow-origin"), null);
    await res.body?.cancel();
    const bad = join(dir, "bad");
    await assert.rejects(
      () => buildEdge({ model, target: "deno", out: bad, corsOrigin: "app.example.com", rowCost }),
      { name: "TypeError", message: /^Invalid corsOrigin: "app\.example\.com" is not an origin/ },
    );
    await assert.rejects(() => Deno.stat(bad), Deno.errors.NotFound);
  });
});
