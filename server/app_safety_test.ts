import assert from "node:assert/strict";
import { errorOf, postJson, withApp } from "./_testing/test_app.ts";

const TOKEN = "correct-horse-battery";

Deno.test("a body over the limit is a 413, with or without Content-Length", async () => {
  await withApp(async ({ app }) => {
    const huge = JSON.stringify({ dataset: "xor", pad: "x".repeat(2048) });
    const error = await errorOf(await app.request("/api/runs", postJson(huge)), 413);
    assert.equal(error.code, "payload_too_large");
    assert.equal(error.maxBytes, 1024);
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new TextEncoder().encode(" ".repeat(400)));
        c.close();
      },
    });
    const streamed = await app.request("/api/runs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: chunks,
    });
    assert.equal((await errorOf(streamed, 413)).code, "payload_too_large");
  }, { maxBodyBytes: 1024 });
});

Deno.test("with a token, requests without it get a JSON 401", async () => {
  await withApp(async ({ app }) => {
    const missing = await app.request("/api/runs");
    assert.equal(missing.headers.get("www-authenticate"), 'Bearer realm="nagare"');
    const error = await errorOf(missing, 401);
    assert.equal(error.code, "unauthorized");
    assert.match(error.message, /Authorization: Bearer/);
    const wrong = await errorOf(
      await app.request("/api/runs", { headers: { authorization: "Bearer nope-nope-nope" } }),
      401,
    );
    assert.match(wrong.message, /Wrong token/);
    assert.equal((await app.request("/api/runs", postJson({ dataset: "xor" }))).status, 401);
    const ok = await app.request("/api/runs", { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(ok.status, 200);
  }, { token: TOKEN });
});

Deno.test("with a token, only the events route of the API also takes ?token (EventSource sends no headers)", async () => {
  await withApp(async ({ app, store }) => {
    const res = await app.request(
      "/api/runs",
      postJson({ dataset: "xor" }, { authorization: `Bearer ${TOKEN}` }),
    );
    const { id } = await res.json();
    await store.close();
    assert.equal((await app.request(`/api/runs/${id}/events?token=${TOKEN}`)).status, 200);
    assert.equal((await app.request(`/api/runs/${id}?token=${TOKEN}`)).status, 401);
    assert.equal(
      (await app.request(`/api/runs/${id}/events?token=wrong-token`)).status,
      401,
    );
  }, { token: TOKEN });
});

Deno.test("a short token is refused when the app is built", async () => {
  await assert.rejects(withApp(() => Promise.resolve(), { token: "short" }), {
    name: "RangeError",
    message: /at least 8/,
  });
});

Deno.test("without a token, the API answers loopback host names only (DNS rebinding)", async () => {
  await withApp(async ({ app }) => {
    for (const host of ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "app.localhost"]) {
      assert.equal((await app.request("/api/runs", { headers: { host } })).status, 200, host);
    }
    const error = await errorOf(
      await app.request("/api/runs", { headers: { host: "evil.example:8000" } }),
      403,
    );
    assert.equal(error.code, "forbidden_host");
    assert.match(error.message, /--token/);
  });
});

Deno.test("without a token, cross-site writes are refused (CSRF)", async () => {
  await withApp(async ({ app }) => {
    const headers = { host: "127.0.0.1:8000", origin: "https://evil.example" };
    const error = await errorOf(
      await app.request("/api/runs", postJson({ dataset: "xor" }, headers)),
      403,
    );
    assert.equal(error.code, "forbidden_origin");
    const same = { host: "127.0.0.1:8000", origin: "http://127.0.0.1:8000" };
    assert.equal((await app.request("/api/runs", postJson({ dataset: "xor" }, same))).status, 201);
    assert.equal((await app.request("/api/runs", { headers })).status, 200, "reads are not writes");
  });
});

Deno.test("CORS is off by default and on for the configured origin only", async () => {
  const preflight = {
    method: "OPTIONS",
    headers: { origin: "https://lab.example", "access-control-request-method": "POST" },
  };
  await withApp(async ({ app }) => {
    const res = await app.request("/api/runs", { headers: { origin: "https://lab.example" } });
    assert.equal(res.headers.get("access-control-allow-origin"), null);
  });
  await withApp(async ({ app }) => {
    const res = await app.request("/api/runs", preflight);
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-origin"), "https://lab.example");
    assert.match(res.headers.get("access-control-allow-headers") ?? "", /Authorization/);
    const other = await app.request("/api/runs", { headers: { origin: "https://evil.example" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const post = await app.request(
      "/api/runs",
      postJson({ dataset: "xor" }, { origin: "https://lab.example" }),
    );
    assert.equal(post.status, 201);
  }, { corsOrigins: ["https://lab.example"] });
});

Deno.test("unknown routes are a JSON 404 and wrong methods a JSON 405 with Allow", async () => {
  await withApp(async ({ app }) => {
    const missing = await errorOf(await app.request("/api/nothing"), 404);
    assert.equal(missing.code, "not_found");
    assert.match(missing.message, /GET \/api\/nothing/);
    const res = await app.request("/api/runs", { method: "DELETE" });
    assert.equal(res.headers.get("allow"), "GET, HEAD, POST");
    const error = await errorOf(res, 405);
    assert.equal(error.code, "method_not_allowed");
    assert.deepEqual(error.allow, ["GET", "HEAD", "POST"]);
    assert.equal(
      (await errorOf(await app.request("/api/runs/x/stop"), 405)).code,
      "method_not_allowed",
    );
  });
});

Deno.test("an unexpected error is a JSON 500 that leaks nothing and is logged", async () => {
  const logged: unknown[] = [];
  await withApp(async ({ app, store }) => {
    store.list = () => {
      throw new Error("secret internals");
    };
    const error = await errorOf(await app.request("/api/runs"), 500);
    assert.equal(error.code, "internal");
    assert.doesNotMatch(error.message, /secret/);
    assert.equal((logged[0] as Error).message, "secret internals");
  }, { logError: (e) => logged.push(e) });
});
