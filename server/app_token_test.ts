// With --token, every route needs it: the API as a bearer header, the
// dashboard's pages and assets also as ?token= or the cookie that sets.
import assert from "node:assert/strict";
import { ASSET_PATHS } from "./assets.ts";
import { postJson, withApp } from "./_testing/test_app.ts";

const TOKEN = "correct-horse-battery";
const BEARER = { authorization: `Bearer ${TOKEN}` };
const ORIGIN = "http://127.0.0.1:8000";

/** Every API route, by method and path (`:id` filled in by the test). */
const API_ROUTES: readonly [string, string][] = [
  ["GET", "/api/runs"],
  ["POST", "/api/runs"],
  ["GET", "/api/runs/:id"],
  ["POST", "/api/runs/:id/stop"],
  ["GET", "/api/runs/:id/model"],
  ["GET", "/api/runs/:id/events"],
  ["GET", "/api/activations"],
  ["GET", "/api/options"],
];
const PAGES = [...ASSET_PATHS, "/no-such-page"];

function apiRequest(method: string, headers: Record<string, string> = {}): RequestInit {
  return method === "POST" ? postJson({ dataset: "xor", epochs: 1 }, headers) : { headers };
}

/** The `name=value` of a response's Set-Cookie, if any. */
const cookieOf = (res: Response) => res.headers.get("set-cookie")?.split(";")[0];

Deno.test("with a token, every API route answers 401 without it and serves with it", async () => {
  await withApp(async ({ app, store }) => {
    const { id } = await (await app.request("/api/runs", postJson({ dataset: "xor" }, BEARER)))
      .json();
    await store.close(); // a finished run: its events replay and end
    for (const [method, route] of API_ROUTES) {
      const path = route.replace(":id", id);
      const without = await app.request(path, apiRequest(method));
      assert.equal(without.status, 401, `${method} ${path}`);
      assert.equal((await without.json()).error.code, "unauthorized");
      const res = await app.request(path, apiRequest(method, BEARER));
      assert.notEqual(res.status, 401, `${method} ${path} with the token`);
      await res.body?.cancel();
    }
  }, { token: TOKEN });
});

Deno.test("with a token, pages and assets answer a short HTML 401 naming the URL to open", async () => {
  await withApp(async ({ app }) => {
    for (const path of PAGES) {
      const res = await app.request(`${ORIGIN}${path}`);
      assert.equal(res.status, 401, path);
      assert.equal(res.headers.get("content-type"), "text/html; charset=UTF-8");
      assert.equal(res.headers.get("referrer-policy"), "no-referrer");
      assert.equal(cookieOf(res), undefined);
      const html = await res.text();
      assert.match(html, /needs its token/);
      assert.match(html, /http:\/\/127\.0\.0\.1:8000\/\?token=&lt;token&gt;/);
      assert.ok(!html.includes(TOKEN));
    }
    const wrong = await app.request(`${ORIGIN}/?token=not-the-token`);
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /not this server's/);
  }, { token: TOKEN });
});

Deno.test("with a token, the printed URL opens the page and its cookie then loads the assets", async () => {
  await withApp(async ({ app }) => {
    const page = await app.request(`${ORIGIN}/?token=${TOKEN}`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("referrer-policy"), "no-referrer");
    await page.body?.cancel();
    const setCookie = page.headers.get("set-cookie") ?? "";
    assert.match(setCookie, /^nagare_page_8000=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    assert.ok(!setCookie.includes(TOKEN), "the cookie holds a hash, not the token");
    const cookie = cookieOf(page)!;
    for (const path of ASSET_PATHS) {
      const res = await app.request(`${ORIGIN}${path}`, { headers: { cookie } });
      assert.equal(res.status, 200, path);
      await res.body?.cancel();
    }
    const bearer = await app.request(`${ORIGIN}/activations`, { headers: BEARER });
    assert.equal(bearer.status, 200, "a bearer header works on pages too");
    await bearer.body?.cancel();
    const other = await app.request("http://127.0.0.1:9000/", { headers: { cookie } });
    assert.equal(other.status, 401, "another port's server does not take this cookie");
    await other.body?.cancel();
    const forged = await app.request(`${ORIGIN}/`, {
      headers: { cookie: "nagare_page_8000=forged" },
    });
    assert.equal(forged.status, 401);
    await forged.body?.cancel();
  }, { token: TOKEN });
});

Deno.test("with a token, the page cookie opens no API route, nor does ?token outside the events stream", async () => {
  await withApp(async ({ app }) => {
    const cookie = cookieOf(await app.request(`${ORIGIN}/?token=${TOKEN}`))!;
    for (const [method, path] of API_ROUTES.filter(([, p]) => !p.includes(":id"))) {
      const withCookie = await app.request(`${ORIGIN}${path}`, apiRequest(method, { cookie }));
      assert.equal(withCookie.status, 401, `${method} ${path} with the page cookie`);
      const withQuery = await app.request(`${ORIGIN}${path}?token=${TOKEN}`, apiRequest(method));
      assert.equal(withQuery.status, 401, `${method} ${path}?token=`);
    }
  }, { token: TOKEN });
});

Deno.test("without a token, pages and assets are served to anyone on loopback as before", async () => {
  await withApp(async ({ app }) => {
    for (const path of ASSET_PATHS) {
      const res = await app.request(`${ORIGIN}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(cookieOf(res), undefined);
      await res.body?.cancel();
    }
  });
});
