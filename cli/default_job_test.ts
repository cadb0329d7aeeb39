// The default `deno task train` (MNIST 784-128-64-10, Adam, 10 epochs, seed 42)
// must reach at least 95% on its 1,996 held-out test digits. Runs the real CLI.
import assert from "node:assert/strict";

const SCRIPT = new URL("./train.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

Deno.test("default deno task train reaches at least 95% test accuracy on MNIST", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "-A", "--config", CONFIG, SCRIPT, "--json", "--out", "model.json"],
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const events = new TextDecoder().decode(stdout).trimEnd().split("\n").map((l) => JSON.parse(l));
    const start = events.find((e) => e.type === "start");
    assert.equal(start.epochs, 10);
    assert.equal(start.batchSize, 64);
    const test = events.find((e) => e.type === "test");
    assert.equal(test.samples, 1996);
    assert.ok(test.accuracy >= 0.95, `test accuracy ${test.accuracy}`);
    const model = JSON.parse(await Deno.readTextFile(`${dir}/model.json`));
    assert.deepEqual(model.spec.layers.map((l: { units: number }) => l.units), [128, 64, 10]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
