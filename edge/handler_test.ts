import assert from "node:assert/strict";
import { elementwise } from "../core/math/elementwise.ts";
import { predict } from "../core/math/predict.ts";
import { toModelFile } from "../core/model/model_file.ts";
import { createNetwork } from "../core/math/network.ts";
import { createRegistry } from "../core/checks/registry.ts";
import { builtinActivations } from "../plugins/activations/mod.ts";
import { trainSmallModel } from "../testing/small_model.ts";
import { createPredictHandler, type PredictHandler } from "./handler.ts";

const small = trainSmallModel();
const file = toModelFile(small.network, { name: "small" });
const handler = createPredictHandler({ model: file });
const rows = (n: number) =>
  Array.from({ length: n }, (_, r) => Array.from({ length: 6 }, (_, c) => (r - c) / 4));

function post(
  h: PredictHandler,
  body: BodyInit | null,
  headers: HeadersInit = {},
  path = "/predict",
) {
  return h(
    new Request(`http://edge.test${path}`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
    }),
  );
}
const postJson = (h: PredictHandler, value: unknown) => post(h, JSON.stringify(value));

async function expectError(
  res: Response | Promise<Response>,
  status: number,
  code: string,
  message: RegExp,
) {
  const r = await res;
  const body = await r.json();
  assert.equal(r.status, status, JSON.stringify(body));
  assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(body.error.code, code);
  assert.match(body.error.message, message);
}

Deno.test("GET /health answers the model's name and widths", async () => {
  const res = await handler(new Request("http://edge.test/health"));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    status: "ok",
    name: "small",
    inputs: 6,
    outputs: 3,
    classifier: true,
    maxRows: 1000,
    kernels: "ts",
  });
  const head = await handler(new Request("http://edge.test/health", { method: "HEAD" }));
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
});

Deno.test("POST /predict answers the model's outputs exactly, with arg-max classes", async () => {
  const inputs = rows(5);
  const res = await postJson(handler, { inputs });
  assert.equal(res.status, 200);
  const body = await res.json();
  const expected = predict(small.network, {
    data: new Float32Array(inputs.flat()),
    rows: 5,
    cols: 6,
  });
  assert.deepEqual(body.outputs.flat(), Array.from(expected.data));
  const classes = body.outputs.map((row: number[]) => row.indexOf(Math.max(...row)));
  assert.deepEqual(body.classes, classes);
});

Deno.test("routes match under any prefix, as on Vercel and Supabase", async () => {
  for (const path of ["/api/predict", "/nagare/predict/", "/functions/v1/nagare/predict"]) {
    assert.equal(
      (await post(handler, JSON.stringify({ inputs: rows(1) }), {}, path)).status,
      200,
      path,
    );
  }
  assert.equal((await handler(new Request("http://edge.test/api/health"))).status, 200);
});

Deno.test("unknown routes answer 404 and wrong methods 405 with Allow", async () => {
  await expectError(
    handler(new Request("http://edge.test/")),
    404,
    "not_found",
    /use POST \/predict or GET \/health/,
  );
  await expectError(
    handler(new Request("http://edge.test/train")),
    404,
    "not_found",
    /No route \/train/,
  );
  const get = await handler(new Request("http://edge.test/predict"));
  assert.equal(get.headers.get("allow"), "POST");
  await expectError(get, 405, "method_not_allowed", /Method GET is not allowed here: use POST/);
  const put = await handler(new Request("http://edge.test/health", { method: "PUT", body: "{}" }));
  assert.equal(put.headers.get("allow"), "GET");
  await expectError(put, 405, "method_not_allowed", /use GET/);
});

Deno.test("a body that is not JSON answers 415 or 400", async () => {
  await expectError(
    post(handler, "inputs=1", { "content-type": "application/x-www-form-urlencoded" }),
    415,
    "unsupported_media_type",
    /send JSON with the header Content-Type: application\/json/,
  );
  await expectError(
    post(handler, '{"inputs": [[1, 2'),
    400,
    "invalid_json",
    /Body is not valid JSON/,
  );
  await expectError(
    post(handler, new Uint8Array([0x7b, 0xff, 0x7d])),
    400,
    "invalid_json",
    /not UTF-8/,
  );
  assert.equal(
    (await post(handler, JSON.stringify({ inputs: rows(1) }), {
      "content-type": "application/json; charset=utf-8",
    })).status,
    200,
  );
});

Deno.test("a body of the wrong shape answers 400 naming the field", async () => {
  await expectError(
    postJson(handler, [1, 2]),
    400,
    "invalid_inputs",
    /^Body must be a JSON object, got an array: send \{"inputs"/,
  );
  await expectError(postJson(handler, 3), 400, "invalid_inputs", /got number/);
  await expectError(
    postJson(handler, { input: rows(1) }),
    400,
    "invalid_inputs",
    /inputs: missing: send \{"inputs"/,
  );
  await expectError(
    postJson(handler, { inputs: rows(1), id: 3 }),
    400,
    "invalid_inputs",
    /id: unknown key: remove it/,
  );
  await expectError(
    postJson(handler, { inputs: "1,2" }),
    400,
    "invalid_inputs",
    /inputs: must be an array of rows/,
  );
  await expectError(
    postJson(handler, { inputs: [] }),
    400,
    "invalid_inputs",
    /inputs: must hold at least one row/,
  );
});

Deno.test("rows of the wrong width or with bad numbers answer 400 naming row and value", async () => {
  await expectError(
    postJson(handler, { inputs: [rows(1)[0], [1, 2, 3, 4, 5]] }),
    400,
    "invalid_inputs",
    /^inputs\.1: has 5 values but the model takes 6: send rows of exactly 6 numbers$/,
  );
  await expectError(
    post(handler, '{"inputs": [[0, 0, 1e999, 0, 0, 0]]}'),
    400,
    "invalid_inputs",
    /inputs\.0: value 2 is Infinity: every value must be a finite number/,
  );
  await expectError(
    postJson(handler, { inputs: [[0, 0, 0, "1", 0, 0]] }),
    400,
    "invalid_inputs",
    /inputs\.0: value 3 is "1"/,
  );
  await expectError(
    postJson(handler, { inputs: [[0, 0, 0, 0, null, 0]] }),
    400,
    "invalid_inputs",
    /value 4 is null/,
  );
  await expectError(
    postJson(handler, { inputs: [[1e39, 0, 0, 0, 0, 0]] }),
    400,
    "invalid_inputs",
    /value 0 is 1e\+39: .*float32 range/,
  );
  await expectError(
    postJson(handler, { inputs: [7] }),
    400,
    "invalid_inputs",
    /inputs\.0: must be an array of 6 numbers, got number/,
  );
});

Deno.test("too many rows or too large a body answer 413", async () => {
  const limited = createPredictHandler({ model: file, maxRows: 2, maxBodyBytes: 2000 });
  await expectError(
    postJson(limited, { inputs: rows(3) }),
    413,
    "too_many_rows",
    /has 3 rows, more than the 2 allowed: split the batch/,
  );
  await expectError(
    post(limited, " ".repeat(2001)),
    413,
    "body_too_large",
    /larger than 2000 bytes/,
  );
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new TextEncoder().encode(" ".repeat(1000)));
    },
  });
  await expectError(post(limited, stream), 413, "body_too_large", /send fewer rows per request/);
});

Deno.test("regression models answer outputs without classes; one sigmoid output gives 0/1 classes", async () => {
  const registry = createRegistry(builtinActivations());
  const reg = createNetwork({ inputs: 2, layers: [{ units: 1, activation: "identity" }] }, {
    registry,
    seed: 1,
  });
  const res = await (await postJson(createPredictHandler({ model: reg }), { inputs: [[1, 2]] }))
    .json();
  assert.deepEqual(Object.keys(res), ["outputs"]);
  const bin = createNetwork({ inputs: 2, layers: [{ units: 1, activation: "sigmoid" }] }, {
    registry,
    seed: 1,
  });
  bin.layers[0].weights.set([10, 0]);
  const out =
    await (await postJson(createPredictHandler({ model: bin }), { inputs: [[1, 0], [-1, 0]] }))
      .json();
  assert.deepEqual(out.classes, [1, 0]);
});

Deno.test("several sigmoid outputs (multi-label) give one 0/1 class per output, not an arg-max", async () => {
  const registry = createRegistry(builtinActivations());
  const multi = createNetwork({ inputs: 2, layers: [{ units: 3, activation: "sigmoid" }] }, {
    registry,
    seed: 1,
  });
  // Output j is sigmoid(10 x0 * sign_j): two labels follow x0, one opposes it.
  multi.layers[0].weights.set([10, 10, -10, 0, 0, 0]);
  multi.layers[0].bias.set([0, 0, 0]);
  const out =
    await (await postJson(createPredictHandler({ model: multi }), { inputs: [[1, 0], [-1, 0]] }))
      .json();
  assert.deepEqual(out.classes, [[1, 1, 0], [0, 0, 1]]);
});

Deno.test("models given as JSON text load too; custom activations come as plugins or a registry", async () => {
  const cube = elementwise({ name: "myorg/cube", f: (x) => x ** 3, df: (x) => 3 * x * x });
  const registry = createRegistry([...builtinActivations(), cube]);
  const net = createNetwork({ inputs: 2, layers: [{ units: 2, activation: "myorg/cube" }] }, {
    registry,
    seed: 1,
  });
  const text = JSON.stringify(toModelFile(net));
  assert.throws(() => createPredictHandler({ model: text }), {
    name: "TypeError",
    message: /Missing plugin: the model uses activation "myorg\/cube"/,
  });
  const h = createPredictHandler({ model: text, registry, name: "cube" });
  assert.equal((await (await h(new Request("http://x/health"))).json()).name, "cube");
  assert.equal((await postJson(h, { inputs: [[1, 2]] })).status, 200);
  const withPlugins = createPredictHandler({ model: text, plugins: [cube] });
  const a = await (await postJson(withPlugins, { inputs: [[1, 2]] })).json();
  const b = await (await postJson(h, { inputs: [[1, 2]] })).json();
  assert.deepEqual(a, b);
});

Deno.test("broken models and limits fail when the handler is made, not per request", () => {
  assert.throws(() => createPredictHandler({ model: '{"format": "nagare-model"' }), {
    name: "TypeError",
    message: /not JSON/,
  });
  assert.throws(() => createPredictHandler({ model: file, maxRows: 0 }), {
    name: "RangeError",
    message: "Invalid maxRows: 0 must be a whole number of at least 1",
  });
});

/** A JSON value nested `depth` arrays deep, as text: `[[[...]]]`. */
const deepArrays = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObjects = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
const manyKeys = (n: number, value = "0") =>
  "{" + Array.from({ length: n }, (_, i) => `"k${i}":${value}`).join(",") + "}";
const ROW = "[0,0,0,0,0,0]";

/** Asserts a 4xx JSON error with a short message: never a 5xx, never the bad value echoed in full. */
async function expectShortClientError(res: Response | Promise<Response>, what: string) {
  const r = await res;
  const text = await r.text();
  assert.ok(
    r.status >= 400 && r.status < 500,
    `${what}: status ${r.status}: ${text.slice(0, 300)}`,
  );
  assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8", what);
  const body = JSON.parse(text);
  assert.equal(typeof body.error.code, "string", what);
  assert.equal(typeof body.error.message, "string", what);
  assert.ok(text.length <= 600, `${what}: a ${text.length}-character reply: ${text.slice(0, 300)}`);
}

Deno.test("hostile bodies (deep nesting, many keys, long strings, wrong types) answer a short 4xx", async () => {
  const big = createPredictHandler({ model: file, maxBodyBytes: 3_000_000 });
  const long = "a".repeat(100_000);
  const bodies: Record<string, string> = {
    // 4,111 levels is what overflowed the stack of Vercel's Edge Runtime; 500,000 is past any.
    "deep body": deepArrays(4111),
    "deep inputs": `{"inputs":${deepArrays(4111)}}`,
    "deep row": `{"inputs":[${deepArrays(4111)}]}`,
    "deep value": `{"inputs":[[${deepArrays(4111)},0,0,0,0,0]]}`,
    "very deep value": `{"inputs":[[${deepArrays(500_000)},0,0,0,0,0]]}`,
    "deep object value": `{"inputs":[[0,${deepObjects(4111)},0,0,0,0]]}`,
    "deep unknown key": `{"inputs":[${ROW}],"x":${deepObjects(4111)}}`,
    "deep value in a later row": `{"inputs":[${ROW},[0,0,0,0,0,${deepArrays(4111)}]]}`,
    "100,000 unknown keys": manyKeys(100_000).replace("{", `{"inputs":[${ROW}],`),
    "100,000 keys, no inputs": manyKeys(100_000),
    "inputs as an object of 100,000 keys": `{"inputs":${manyKeys(100_000, ROW)}}`,
    "a row as an object of 100,000 keys": `{"inputs":[${manyKeys(100_000)}]}`,
    "100,000 rows": `{"inputs":[${Array(100_000).fill(ROW).join(",")}]}`,
    "100,000 bad rows": `{"inputs":[${Array(100_000).fill('"x"').join(",")}]}`,
    "a long string body": JSON.stringify(long),
    "long string inputs": JSON.stringify({ inputs: long }),
    "a long string row": JSON.stringify({ inputs: [long] }),
    "a long string value": JSON.stringify({ inputs: [[0, 0, long, 0, 0, 0]] }),
    "a long unknown key": JSON.stringify({ inputs: [[0, 0, 0, 0, 0, 0]], [long]: 1 }),
    "a long key, no inputs": JSON.stringify({ [long]: 1 }),
    "long broken JSON": `{"inputs": [[${long}`,
    "a __proto__ key": `{"inputs":[${ROW}],"__proto__":{"inputs":1}}`,
    "inputs under __proto__": `{"__proto__":{"inputs":[${ROW}]}}`,
    "a long number": `{"inputs":[[${"9".repeat(100_000)},0,0,0,0,0]]}`,
  };
  for (const value of ["null", "true", "1", '"s"', "[]", "{}", "[[]]", "[{}]"]) {
    bodies[`body ${value}`] = value;
    bodies[`inputs ${value}`] = `{"inputs":${value}}`;
    bodies[`row ${value}`] = `{"inputs":[${value}]}`;
    if (value !== "1") bodies[`value ${value}`] = `{"inputs":[[0,0,0,0,0,${value}]]}`;
  }
  for (const [what, body] of Object.entries(bodies)) {
    await expectShortClientError(post(big, body), what);
  }
});

Deno.test("error replies quote a bad value cut to 80 characters, with its length", async () => {
  const big = createPredictHandler({ model: file, maxBodyBytes: 6_000_000 });
  const huge = "a".repeat(5_000_000);
  const clipped = `"${"a".repeat(80)}…" (5,000,000 characters)`;
  await expectError(
    postJson(big, { inputs: [[0, huge, 0, 0, 0, 0]] }),
    400,
    "invalid_inputs",
    new RegExp(`^inputs\\.0: value 1 is ${clipped.replace(/[()]/g, "\\$&")}: every value`),
  );
  await expectError(
    post(big, `{"inputs":[[${deepArrays(4111)},0,0,0,0,0]]}`),
    400,
    "invalid_inputs",
    /^inputs\.0: value 0 is an array of 1 value: every value must be a finite number/,
  );
  await expectError(
    postJson(big, { inputs: [[0, 0, 0, { a: [1] }, 0, 0]] }),
    400,
    "invalid_inputs",
    /value 3 is an object:/,
  );
  await expectError(
    postJson(big, { inputs: [[0, 0, 0, 0, 0, 0]], [huge]: 1 }),
    400,
    "invalid_inputs",
    new RegExp(`^a{80}…: unknown key: remove it`),
  );
  const header = "text/" + "x".repeat(10_000);
  const type = await post(big, "{}", { "content-type": header });
  await expectError(type, 415, "unsupported_media_type", /\(10,005 characters\): send JSON/);
  const path = "/" + "p".repeat(10_000);
  const route = await handler(new Request(`http://edge.test${path}`));
  await expectError(route, 404, "not_found", /^No route \/p{79}…: use POST/);
  const method = await handler(
    new Request("http://edge.test/predict", { method: "M".repeat(500) }),
  );
  await expectError(method, 405, "method_not_allowed", /^Method M{80}… is not allowed here/);
});

Deno.test("no CORS headers by default: OPTIONS answers 405", async () => {
  const res = await handler(new Request("http://edge.test/predict", { method: "OPTIONS" }));
  await expectError(res, 405, "method_not_allowed", /use POST/);
  assert.equal(res.headers.get("access-control-allow-origin"), null);
  const ok = await postJson(handler, { inputs: rows(1) });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("access-control-allow-origin"), null);
  await ok.body?.cancel();
});

Deno.test("corsOrigin answers preflights and marks every reply for that origin", async () => {
  const origin = "https://app.example.com";
  const h = createPredictHandler({ model: file, corsOrigin: origin });
  const pre = await h(
    new Request("http://edge.test/api/predict", {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    }),
  );
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), origin);
  assert.equal(pre.headers.get("access-control-allow-methods"), "POST, OPTIONS");
  assert.equal(pre.headers.get("access-control-allow-headers"), "content-type");
  assert.equal(await pre.text(), "");
  const health = await h(new Request("http://edge.test/health", { method: "OPTIONS" }));
  assert.equal(health.headers.get("access-control-allow-methods"), "GET, HEAD, OPTIONS");
  const ok = await postJson(h, { inputs: rows(1) });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("access-control-allow-origin"), origin);
  await ok.body?.cancel();
  // Errors carry it too, or the browser hides them from the page.
  const bad = await postJson(h, { inputs: [[1]] });
  assert.equal(bad.headers.get("access-control-allow-origin"), origin);
  await expectError(bad, 400, "invalid_inputs", /has 1 values/);
  const head = await h(new Request("http://edge.test/health", { method: "HEAD" }));
  assert.equal(head.headers.get("access-control-allow-origin"), origin);
  const any = createPredictHandler({ model: file, corsOrigin: "*" });
  const res = await any(new Request("http://edge.test/health"));
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  await res.body?.cancel();
});

Deno.test("a corsOrigin that is not an origin fails when the handler is made", () => {
  for (const corsOrigin of ["https://app.example.com/", "app.example.com", "ftp://x.org", ""]) {
    assert.throws(() => createPredictHandler({ model: file, corsOrigin }), {
      name: "TypeError",
      message: /^Invalid corsOrigin: .* is not an origin: pass scheme:\/\/host\[:port\]/,
    }, corsOrigin);
  }
});

const KERNELS = await Deno.readFile(new URL("../wasm/gemm_simd.wasm", import.meta.url));

Deno.test("with wasm kernels, as a module or as bytes, a request's batch predicts like the trainer within 1e-6", async () => {
  for (const count of [37, 1, 3]) { // up to four rows run through the product that packs nothing
    const inputs = rows(count);
    const x = { data: new Float32Array(inputs.flat()), rows: count, cols: 6 };
    const want = Array.from(predict(small.network, x).data);
    for (const kernels of [new WebAssembly.Module(KERNELS), KERNELS]) {
      const h = createPredictHandler({ model: file, kernels });
      assert.equal(
        (await (await h(new Request("http://edge.test/health"))).json()).kernels,
        "wasm-simd",
      );
      const got: number[] = (await (await postJson(h, { inputs })).json()).outputs.flat();
      assert.equal(got.length, want.length);
      got.forEach((y, i) =>
        assert.ok(Math.abs(y - want[i]) <= 1e-6, `${count} rows, output ${i}: ${y} vs ${want[i]}`)
      );
    }
  }
});

Deno.test("a handler made from a network in memory answers from its weights as they were", async () => {
  const inputs = rows(1), x = { data: new Float32Array(inputs.flat()), rows: 1, cols: 6 };
  const want = Array.from(predict(small.network, x).data);
  for (const kernels of [undefined, KERNELS]) {
    const live = {
      ...small.network,
      layers: small.network.layers.map((l) => ({
        ...l,
        weights: l.weights.slice(),
        bias: l.bias.slice(),
      })),
    };
    const h = createPredictHandler({ model: live, ...(kernels ? { kernels } : {}) });
    live.layers[0].weights.fill(0); // changed after the handler was made
    const got: number[] = (await (await postJson(h, { inputs })).json()).outputs.flat();
    assert.equal(got.length, want.length);
    got.forEach((y, i) =>
      assert.ok(
        Math.abs(y - want[i]) <= 1e-6,
        `${kernels ? "wasm" : "ts"} ${i}: ${y} vs ${want[i]}`,
      )
    );
  }
});

Deno.test("kernels that do not load leave the handler on TypeScript, with the trainer's bits", async () => {
  const inputs = rows(5);
  const want = Array.from(
    predict(small.network, { data: new Float32Array(inputs.flat()), rows: 5, cols: 6 }).data,
  );
  const broken = [new Uint8Array([1, 2, 3]), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])];
  for (const kernels of broken) {
    const h = createPredictHandler({ model: file, kernels });
    assert.equal((await (await h(new Request("http://edge.test/health"))).json()).kernels, "ts");
    assert.deepEqual((await (await postJson(h, { inputs })).json()).outputs.flat(), want);
  }
});
