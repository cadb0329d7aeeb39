// README.md's "Run config file" section: its example is a valid run config that
// trains, and its field list names every field of the schema with its default.
import assert from "node:assert/strict";
import { parseRunConfig, RunConfigSchema } from "../jobs/run_config.ts";

const README = new URL("../README.md", import.meta.url);
const SCRIPT = new URL("./train.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

async function section(): Promise<string> {
  const text = await Deno.readTextFile(README);
  const start = text.indexOf("\n### Run config file\n");
  assert.ok(start >= 0, 'README.md has no "### Run config file" section');
  const end = text.slice(start + 1).search(/\n#{2,3} /);
  return text.slice(start, end < 0 ? undefined : start + 1 + end);
}

async function example(): Promise<unknown> {
  const block = (await section()).match(/```json\n([\s\S]*?)```/);
  assert.ok(block, "the section has a ```json example");
  return JSON.parse(block[1]);
}

Deno.test("README's example run config is valid and sets the fields it shows", async () => {
  const input = await example() as Record<string, unknown>;
  const config = parseRunConfig(input);
  assert.equal(config.dataset, input.dataset);
  assert.deepEqual(config.schedule, input.schedule);
  assert.deepEqual(config.earlyStopping, input.earlyStopping);
  assert.deepEqual(config.optimizer, input.optimizer);
});

Deno.test("README's field list has one line per run-config field, with its default", async () => {
  const text = await section();
  const listed = [...text.matchAll(/^- `(\w+)`/gm)].map((m) => m[1]);
  for (const field of Object.keys(RunConfigSchema.entries)) {
    assert.ok(listed.includes(field), `README's run config section lists ${field}`);
  }
  assert.ok(listed.includes("columns"), "README lists columns (CSV column types)");
  for (const line of text.split(/\n(?=- `)/).filter((l) => l.startsWith("- `"))) {
    assert.match(line, /default/, line);
  }
});

Deno.test("deno task train --config runs README's example and saves fingerprints", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/run.json`, JSON.stringify(await example()));
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "-A", "--config", CONFIG, SCRIPT, "--config", "run.json"]
        .concat(["--epochs", "3", "--quiet"]),
      cwd: dir,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const model = JSON.parse(await Deno.readTextFile(`${dir}/iris.json`));
    assert.equal(model.training.config.schedule.name, "cosineDecay");
    for (const entry of model.plugins.filter((p: { kind: string }) => p.kind === "activation")) {
      assert.match(entry.fingerprint, /^fnv1a64:[0-9a-f]{16}$/, entry.name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
