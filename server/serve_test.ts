// startServer and `deno task serve` over real loopback sockets.
import assert from "node:assert/strict";
import { main } from "../cli/serve.ts";
import { parseRunConfig } from "../jobs/run_config.ts";
import { isLoopback, type RunningServer, startServer } from "./serve.ts";
import { fakeLaunch, manualTraining } from "./_testing/fake_training.ts";
import { waitFor } from "./_testing/wait_for.ts";

const quiet = { onListen: () => {} };

Deno.test("loopback addresses are told apart from the rest", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) {
    assert.ok(isLoopback(host), host);
  }
  for (const host of ["0.0.0.0", "::", "192.168.1.2", "example.com"]) {
    assert.ok(!isLoopback(host), host);
  }
});

Deno.test("binding a non-loopback address without a token is refused with the fix", async () => {
  await assert.rejects(startServer({ host: "0.0.0.0", port: 0, ...quiet }), {
    name: "TypeError",
    message:
      /^Refusing to listen on 0\.0\.0\.0 without a token: .*--token <secret> \(or set NAGARE_TOKEN\), or bind 127\.0\.0\.1$/,
  });
});

Deno.test("the server listens on 127.0.0.1, serves the dashboard and the API, and closes cleanly", async () => {
  const server = await startServer({ port: 0, launch: fakeLaunch(2), ...quiet });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    assert.match(await page.text(), /<title>nagare · training dashboard<\/title>/);
    const uplot = await fetch(new URL("/assets/uplot.min.js", server.url));
    assert.match(await uplot.text(), /uPlot/);
    const res = await fetch(new URL("/api/runs", server.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ dataset: "xor" }),
    });
    assert.equal(res.status, 201);
    const { id } = await res.json();
    await waitFor(async () => (await server.store.get(id))?.status === "done", "the run to finish");
  } finally {
    await server.close();
  }
});

Deno.test("SSE over a real socket is not compressed, and a dropped client is released at once", async () => {
  const manual = manualTraining();
  const server: RunningServer = await startServer({
    port: 0,
    launch: () => manual.training,
    ...quiet,
  });
  try {
    const run = await server.store.create(parseRunConfig({ dataset: "xor" }));
    await waitFor(() => manual.subscribers === 1, "training to start");
    for (let i = 0; i < 30; i++) {
      const abort = new AbortController();
      const res = await fetch(new URL(`/api/runs/${run.id}/events`, server.url), {
        headers: { "accept-encoding": "gzip, br" },
        signal: abort.signal,
      });
      assert.equal(res.headers.get("content-encoding"), "identity");
      const reader = res.body!.getReader();
      assert.match(new TextDecoder().decode((await reader.read()).value), /^retry: 2000/);
      assert.equal(run.log.subscriberCount, 1);
      abort.abort();
      await reader.cancel().catch(() => {});
      await waitFor(() => run.log.subscriberCount === 0, "the server to release the client");
    }
  } finally {
    await server.close();
  }
});

Deno.test("deno task serve: --help, bad flags and a clean stop", async () => {
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  assert.equal(await main(["--help"], io), 0);
  assert.match(lines.pop()!, /^Serve the nagare dashboard/);
  assert.equal(await main(["--port", "x"], io), 2);
  assert.equal(lines.pop(), 'error: --port: must be a whole number from 0 to 65535, got "x"');
  assert.equal(await main(["--host", "0.0.0.0", "--port", "0"], io), 2);
  assert.match(lines.pop()!, /^error: Refusing to listen on 0\.0\.0\.0 without a token/);
  assert.equal(await main(["--data-dir", "/no/such/folder"], io), 2);
  assert.match(lines.pop()!, /^error: --data-dir: no folder/);
  assert.equal(await main(["--plugin", "/no/such/plugin.ts"], io), 2);
  assert.match(lines.pop()!, /^error: Plugin module not found/);
  const stop = Promise.withResolvers<void>();
  let url = "";
  const stateDir = await Deno.makeTempDir();
  const code = main(["--port", "0", "--state-dir", stateDir], {
    ...io,
    stopped: stop.promise,
    started: (s) => (url = s.url),
  });
  await waitFor(() => url !== "", "the server to start");
  assert.equal((await fetch(new URL("/api/runs", url))).status, 200);
  stop.resolve();
  assert.equal(await code, 0);
  assert.match(lines.pop()!, /^nagare dashboard on http:\/\/127\.0\.0\.1:\d+\/ \(Ctrl-C stops\)$/);
  assert.ok(Deno.statSync(`${stateDir}/runs.db`).isFile, "runs are kept in the state folder");
  await Deno.remove(stateDir, { recursive: true });
});
