// `deno task train --serve`: the CLI's run is live on the dashboard's API while
// it trains, its model downloads when done, and Ctrl-C then stops the server.
import assert from "node:assert/strict";
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

Deno.test("train --serve shows the run on the API and serves its model until Ctrl-C", async () => {
  const dir = await Deno.makeTempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "-A",
      "--config",
      CONFIG,
      SCRIPT,
      "--dataset",
      "iris",
      "--epochs",
      "30",
      "--quiet",
      "--serve",
      "--port",
      "0",
      "--out",
      "iris.json",
    ],
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const waitFor = async (pattern: RegExp): Promise<RegExpMatchArray> => {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the CLI ended before ${pattern}: ${text}`);
      text += value;
    }
    return text.match(pattern)!;
  };
  try {
    const [, url] = await waitFor(/dashboard: (http:\/\/\S+\/)/);
    await waitFor(/training done; the dashboard stays at/);
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
    child.kill("SIGINT");
    assert.equal((await child.status).code, 0);
    const saved = JSON.parse(await Deno.readTextFile(`${dir}/iris.json`));
    assert.equal(saved.format, "nagare-model");
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already ended */ }
    await child.status;
    await reader.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
