// `deno task train --serve`: the CLI's run is live on the dashboard's API while
// it trains, its model downloads when done, and Ctrl-C then stops the server.
import assert from "node:assert/strict";
import { sseReader } from "../testing/sse_reader.ts";
import { parseFlags } from "./flags.ts";

const SCRIPT = new URL("./train.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

Deno.test("--host, --port and --token need --serve, and --port must be a port", () => {
  assert.throws(() => parseFlags(["--port", "9000"]), /--port: only with --serve/);
  assert.throws(() => parseFlags(["--serve", "--port", "http"]), /--port: "http" is not a port/);
  assert.throws(() => parseFlags(["--serve", "--port", "70000"]), /is not a port/);
  assert.deepEqual(parseFlags(["--serve", "--port", "0"]).serve, { port: 0 });
  assert.equal(parseFlags([]).serve, undefined);
});

/** Runs `train --serve --port 0 --quiet` in a temp folder, reading its stderr as it comes. */
async function trainServe(args: string[]) {
  const dir = await Deno.makeTempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", "--config", CONFIG, SCRIPT, "--quiet", "--serve", "--port", "0"]
      .concat(args),
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  return {
    dir,
    child,
    /** Reads stderr until `pattern` shows, and returns its match. */
    async waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the CLI ended before ${pattern}: ${text}`);
        text += value;
      }
      return text.match(pattern)!;
    },
    /** Everything it wrote to stderr, once it has ended. */
    async rest(): Promise<string> {
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += r.value;
      return text;
    },
    async close(): Promise<void> {
      try {
        child.kill("SIGKILL");
      } catch { /* already ended */ }
      await child.status;
      await reader.cancel().catch(() => {});
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("train --serve shows the run on the API and serves its model until Ctrl-C", async () => {
  const cli = await trainServe(["--dataset", "iris", "--epochs", "30", "--out", "iris.json"]);
  try {
    const [, url] = await cli.waitFor(/dashboard: (http:\/\/\S+\/)/);
    await cli.waitFor(/training done; the dashboard stays at/);
    const { runs } = await (await fetch(`${url}api/runs`)).json();
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, "done");
    assert.equal(runs[0].metrics.epoch, 30);
    const model = await fetch(`${url}api/runs/${runs[0].id}/model`);
    assert.equal(model.status, 200);
    assert.equal((await model.json()).format, "nagare-model");
    const page = await fetch(url);
    assert.equal(page.status, 200);
    await page.body?.cancel();
    cli.child.kill("SIGINT");
    assert.equal((await cli.child.status).code, 0);
    const saved = JSON.parse(await Deno.readTextFile(`${cli.dir}/iris.json`));
    assert.equal(saved.format, "nagare-model");
  } finally {
    await cli.close();
  }
});

Deno.test("train --serve streams an xor run's decision boundary with its epoch events", async () => {
  const cli = await trainServe(["--dataset", "xor", "--epochs", "3", "--out", "xor.json"]);
  try {
    const [, url] = await cli.waitFor(/dashboard: (http:\/\/\S+\/)/);
    await cli.waitFor(/training done; the dashboard stays at/);
    const { runs } = await (await fetch(`${url}api/runs`)).json();
    const controller = new AbortController();
    const response = await fetch(`${url}api/runs/${runs[0].id}/events`, {
      signal: controller.signal,
    });
    const sse = sseReader(response.body!);
    const frames = await sse.until((read) =>
      read.filter((f) => f.event === "epoch").length >= 3 && read.some((f) => f.event === "end")
    );
    controller.abort();
    await sse.cancel().catch(() => {});
    const epochs = frames.filter((f) => f.event === "epoch")
      .map((f) => f.data as { boundary: { size: number } });
    assert.equal(epochs.length, 3);
    for (const epoch of epochs) {
      assert.equal(epoch.boundary.size, 32, JSON.stringify(Object.keys(epoch)));
    }
    cli.child.kill("SIGINT");
    assert.equal((await cli.child.status).code, 0);
  } finally {
    await cli.close();
  }
});

Deno.test("train --serve --token prints the URL with it; SIGTERM while training stops like Ctrl-C, exit 143", async () => {
  const token = "serve-flag-secret";
  const cli = await trainServe(["--dataset", "xor", "--epochs", "1000000", "--token", token]);
  try {
    const [, open, base] = await cli.waitFor(/dashboard: ((http:\/\/\S+\/)\?token=\S+) /);
    assert.equal(open, `${base}?token=${token}`);
    assert.equal(await fetch(base).then((r) => (r.body?.cancel(), r.status)), 401);
    const page = await fetch(open);
    assert.equal(page.status, 200);
    await page.body?.cancel();
    const headers = { authorization: `Bearer ${token}` };
    let epoch = 0;
    while (epoch < 1) {
      const { runs } = await (await fetch(`${base}api/runs`, { headers })).json();
      epoch = runs[0]?.metrics?.epoch ?? 0;
      await new Promise((r) => setTimeout(r, 20));
    }
    cli.child.kill("SIGTERM");
    assert.equal((await cli.child.status).code, 143);
    assert.match(
      await cli.rest(),
      /interrupted by SIGTERM in epoch \d+ of 1000000: model\.json not written/,
    );
    await assert.rejects(fetch(`${base}api/runs`, { headers }), "the server stopped too");
  } finally {
    await cli.close();
  }
});

Deno.test("train --serve stopped from the dashboard says so and writes the weights it reached, exit 0", async () => {
  const cli = await trainServe(["--dataset", "xor", "--epochs", "1000000", "--out", "xor.json"]);
  try {
    const [, url] = await cli.waitFor(/dashboard: (http:\/\/\S+\/)/);
    let run: { id: string; metrics?: { epoch: number } } | undefined;
    while (!run?.metrics?.epoch) {
      run = (await (await fetch(`${url}api/runs`)).json()).runs[0];
      await new Promise((r) => setTimeout(r, 20));
    }
    const stop = await fetch(`${url}api/runs/${run.id}/stop`, { method: "POST" });
    assert.ok(stop.status === 200 || stop.status === 202, String(stop.status));
    await stop.body?.cancel();
    assert.equal((await cli.child.status).code, 0);
    const said = await cli.rest();
    assert.match(
      said,
      /stopped from the dashboard in epoch \d+ of 1000000: wrote xor\.json with the weights it reached/,
    );
    assert.doesNotMatch(said, /training done/);
    const model = JSON.parse(await Deno.readTextFile(`${cli.dir}/xor.json`));
    assert.equal(model.format, "nagare-model");
  } finally {
    await cli.close();
  }
});
