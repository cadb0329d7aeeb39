// End to end: build real bundles for a trained model, serve them on loopback
// ports in workerd (the Cloudflare Workers runtime, from npm), in Vercel's
// Edge Runtime (npm edge-runtime, under Node), under `deno serve` (the Deno
// Deploy form) and through Deno.serve (the Supabase wrapper), and check them
// over HTTP against the trainer's predictions.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import workerd from "npm:workerd@1.20261117.1";
import { predict } from "../core/math/predict.ts";
import { saveModel } from "../io/model_io.ts";
import { trainSmallModel } from "../testing/small_model.ts";
import { swish } from "./_testing/swish_plugin.ts";
import { buildEdge } from "./build/build_edge.ts";
import { COMPATIBILITY_DATE, type TargetName } from "./build/targets.ts";

// The npm package's main export is the path of the platform's workerd binary.
const WORKERD = (workerd as unknown as { default: string }).default;
const PLUGIN = fileURLToPath(new URL("./_testing/swish_plugin.ts", import.meta.url));

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** workerd's config for worker.js and the kernels.wasm beside it, as a wasm module. */
function workerdConfig(port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "kernels.wasm", wasm = embed "kernels.wasm"),
  ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`;
}

/** Serves the Cloudflare folder `out` in workerd and runs `check` against it. */
async function inWorkerd(out: string, check: (base: string) => Promise<void>): Promise<void> {
  const port = freePort();
  await Deno.writeTextFile(join(out, "config.capnp"), workerdConfig(port));
  await withServer({
    command: WORKERD,
    args: ["serve", "config.capnp"],
    cwd: out,
    base: `http://127.0.0.1:${port}`,
  }, check);
}

interface Server {
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  /** URL the routes hang under, e.g. http://127.0.0.1:1234/fn */
  base: string;
}

/** Starts a server process, waits for GET /health, runs `check`, then stops it and awaits its exit. */
async function withServer(server: Server, check: (base: string) => Promise<void>): Promise<void> {
  const { command, args, cwd, env, base } = server;
  const child = new Deno.Command(command, {
    args,
    cwd,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  const logs = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  let exited = false;
  const status = child.status.finally(() => (exited = true));
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited) throw new Error(`${command} exited early: ${(await logs).join("\n")}`);
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) }).catch(() =>
        null
      );
      await res?.body?.cancel();
      if (res?.ok) break;
      if (Date.now() > deadline) {
        throw new Error(
          `${command} did not answer in 60 s (a guard against a hang): ${(await logs).join("\n")}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await check(base);
  } finally {
    if (!exited) child.kill("SIGTERM");
    const timer = setTimeout(() => !exited && child.kill("SIGKILL"), 5000);
    await status;
    clearTimeout(timer);
    await logs;
  }
}

async function checkServer(
  base: string,
  expected: number[],
  inputs: number[][],
  kernels: string,
): Promise<void> {
  const post = (body: string) =>
    fetch(`${base}/predict`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
      signal: AbortSignal.timeout(5000),
    });
  const res = await post(JSON.stringify({ inputs }));
  assert.equal(res.status, 200);
  const body = await res.json();
  const outputs: number[] = body.outputs.flat();
  assert.equal(outputs.length, expected.length);
  outputs.forEach((y, i) =>
    assert.ok(Math.abs(y - expected[i]) <= 1e-6, `output ${i}: ${y} vs ${expected[i]}`)
  );
  assert.equal(body.classes.length, inputs.length);
  const bad = [
    await post(JSON.stringify({ inputs: [[1, 2, 3]] })),
    await post('{"inputs": [[1,'),
    await post(JSON.stringify({ inputs: [inputs[0].map(() => "x")] })),
  ];
  for (const r of bad) {
    assert.equal(r.status, 400);
    assert.equal(typeof (await r.json()).error.message, "string");
  }
  // Hostile bodies get a short 4xx JSON error in every runtime: 4,111 levels of nesting once
  // overflowed the stack of Vercel's Edge Runtime (a 500), and bad values came back in full.
  const deep = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  const hostile = {
    "deep value": `{"inputs":[[${deep(4111)},0,0,0,0,0]]}`,
    "deeper value": `{"inputs":[[${deep(50_000)},0,0,0,0,0]]}`,
    "deep object": `{"inputs":[[${'{"a":'.repeat(4111)}1${"}".repeat(4111)},0,0,0,0,0]]}`,
    "deep inputs": `{"inputs":${deep(4111)}}`,
    "long string": JSON.stringify({ inputs: [[0, "a".repeat(100_000), 0, 0, 0, 0]] }),
    "long key": JSON.stringify({ inputs: [[0, 0, 0, 0, 0, 0]], ["k".repeat(100_000)]: 1 }),
    "many keys": `{"inputs":[[0,0,0,0,0,0]],${
      Array.from({ length: 10_000 }, (_, i) => `"k${i}":0`).join(",")
    }}`,
    "wrong types": '{"inputs":[[{},[],null,true,"x",0]]}',
  };
  for (const [what, body] of Object.entries(hostile)) {
    const r = await post(body);
    const text = await r.text();
    assert.ok(r.status >= 400 && r.status < 500, `${what}: ${r.status} ${text.slice(0, 200)}`);
    assert.equal(typeof JSON.parse(text).error.message, "string", what);
    assert.ok(text.length <= 600, `${what}: a ${text.length}-character reply`);
    assert.equal(r.headers.get("access-control-allow-origin"), "*", what);
  }
  const preflight = await fetch(`${base}/predict`, {
    method: "OPTIONS",
    headers: { origin: "https://app.example.com", "access-control-request-method": "POST" },
    signal: AbortSignal.timeout(5000),
  });
  await preflight.body?.cancel();
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
  const health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) });
  assert.deepEqual(await health.json(), {
    status: "ok",
    name: "e2e",
    inputs: 6,
    outputs: 3,
    classifier: true,
    maxRows: 1000,
    kernels,
  });
}

/**
 * Trains a small model with a custom activation, builds `target` in a temp dir
 * and hands over what to check, `kernels` being the ones health must report.
 */
async function buildFor(
  target: TargetName,
  kernels: "wasm-simd" | "ts",
  run: (out: string, check: (base: string) => Promise<void>) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "nagare-e2e-" });
  try {
    const { network, x } = trainSmallModel({ hidden: "test/swish", plugins: [swish] });
    const model = join(dir, "model.json");
    await saveModel(model, network, { name: "e2e" });
    const inputs = Array.from(
      { length: x.rows },
      (_, r) => Array.from(x.data.subarray(r * x.cols, (r + 1) * x.cols)),
    );
    const expected = Array.from(predict(network, x).data);
    const out = join(dir, target);
    // maxRows given: the default is measured on this machine, and the health check pins it.
    await buildEdge({ model, target, out, plugins: [PLUGIN], maxRows: 1000, corsOrigin: "*" });
    await run(out, (base) => checkServer(base, expected, inputs, kernels));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("e2e: the Cloudflare bundle answers in workerd like the trainer, on wasm kernels", async () => {
  await buildFor("cloudflare", "wasm-simd", async (out, check) => {
    await inWorkerd(out, check);
  });
});

Deno.test("e2e: a Cloudflare bundle whose kernels do not load answers in TypeScript in workerd", async () => {
  await buildFor("cloudflare", "ts", async (out, check) => {
    // An empty wasm module where the kernels should be: it imports as a module, exports nothing.
    await Deno.writeFile(join(out, "kernels.wasm"), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    await inWorkerd(out, check);
  });
});

Deno.test("e2e: the Deno Deploy bundle answers under deno serve like the trainer, on wasm kernels", async () => {
  await buildFor("deno", "wasm-simd", async (out, check) => {
    const port = freePort();
    const args = ["serve", "--no-config", "--host", "127.0.0.1", "--port", String(port), "main.js"];
    await withServer(
      { command: Deno.execPath(), args, cwd: out, base: `http://127.0.0.1:${port}` },
      check,
    );
  });
});

Deno.test("e2e: the Supabase function answers through Deno.serve under its function path, on wasm kernels", async () => {
  await buildFor("supabase", "wasm-simd", async (out, check) => {
    const port = freePort();
    await withServer({
      command: Deno.execPath(),
      args: ["run", "--no-config", "--allow-net", "index.ts"],
      cwd: join(out, "supabase", "functions", "e2e"),
      env: { DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}` },
      base: `http://127.0.0.1:${port}/e2e`,
    }, check);
  });
});

/** Vercel's Edge Runtime emulator, the one `vercel dev` uses, pinned and installed from npm. */
const EDGE_RUNTIME = "edge-runtime@4.0.1";

Deno.test("e2e: the Vercel functions answer in Vercel's Edge Runtime like the trainer, in TypeScript", async () => {
  await buildFor("vercel", "ts", async (out, check) => {
    // Vercel compiles each api/*.js with its imports into one script for the
    // Edge Runtime sandbox (web APIs only: no Node or Deno globals); so does this.
    await Deno.writeTextFile(
      join(out, "edge_entry.js"),
      [
        'import predict from "./api/predict.js";',
        'import health from "./api/health.js";',
        "// Vercel routes /api/<name> to api/<name>.js; so does this.",
        "const routes = { health, predict };",
        'addEventListener("fetch", (event) => {',
        '  const name = new URL(event.request.url).pathname.split("/").pop();',
        '  const route = routes[name] ?? (() => new Response("not found", { status: 404 }));',
        "  event.respondWith(route(event.request));",
        "});",
        "",
      ].join("\n"),
    );
    const bundle = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--format",
        "iife",
        "--platform",
        "browser",
        "-o",
        "edge.js",
        "edge_entry.js",
      ],
      cwd: out,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(bundle.code, 0, new TextDecoder().decode(bundle.stderr));
    // Installed into the build folder and started with node directly, so that
    // stopping the test stops the server (npx would leave it running).
    const install = await new Deno.Command("npm", {
      args: [
        "install",
        "--prefix",
        out,
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        EDGE_RUNTIME,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(install.code, 0, new TextDecoder().decode(install.stderr));
    const port = freePort();
    await withServer({
      command: "node",
      args: [
        join(out, "node_modules", "edge-runtime", "dist", "cli", "index.js"),
        "--listen",
        "--port",
        String(port),
        "edge.js",
      ],
      cwd: out,
      base: `http://127.0.0.1:${port}/api`,
    }, check);
  });
});
