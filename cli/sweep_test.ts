import assert from "node:assert/strict";
import { join } from "node:path";
import { createRegistry } from "../core/checks/registry.ts";
import { loadModel } from "../io/model_io.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { openRunRecords } from "../server/run_records.ts";
import { irisSweep, smallIrisSweep } from "../testing/sweep_fixtures.ts";
import { main } from "./sweep.ts";

const example = irisSweep();

async function sweep(argv: string[], file?: unknown) {
  const dir = await Deno.makeTempDir();
  const out: string[] = [], err: string[] = [];
  const config = join(dir, "sweep.json");
  if (file !== undefined) await Deno.writeTextFile(config, JSON.stringify(file));
  const args = argv.map((a) => a.replaceAll("$DIR", dir));
  const code = await main(["--config", config, "--state-dir", join(dir, "state"), ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out, err, dir };
}

Deno.test("the iris example, made small, stops weak trials early, finds a trial at 90% and writes its model", async () => {
  // examples/sweep_iris.json made small; the threshold holds across seeds (see the fixture).
  const small = smallIrisSweep();
  const { code, out, err, dir } = await sweep(
    ["--json", "--concurrency", "1", "--out", "$DIR/best.json"],
    small,
  );
  assert.equal(code, 0, err.join("\n"));
  const lines = out.map((l) => JSON.parse(l));
  const trials = lines.filter((l) => l.type === "trial");
  assert.equal(trials.length, 10);
  for (const t of trials) {
    assert.deepEqual(Object.keys(t).slice(0, 6), [
      "type",
      "id",
      "params",
      "epochs",
      "metric",
      "status",
    ]);
    assert.ok(["sigmoid", "relu"].includes(t.params["layers.0.activation"]));
  }
  const stopped = trials.filter((t) => t.status === "stopped");
  assert.ok(stopped.length >= 1, "some trials stopped early");
  for (const t of stopped) assert.ok([2, 6].includes(t.epochs) && t.stoppedAt === t.epochs);
  const final = lines.at(-1);
  assert.equal(final.type, "sweep");
  assert.equal(final.status, "done");
  assert.equal(final.best.status, "done");
  assert.equal(final.best.epochs, 12);
  assert.ok(final.best.metric >= 0.9, `best ${final.best.metric}`);
  assert.equal(final.out, join(dir, "best.json"));

  const network = await loadModel(join(dir, "best.json"), {
    registry: createRegistry(builtinPlugins()),
  });
  assert.deepEqual(network.layers.map((l) => l.units), [16, 3]);

  const records = openRunRecords(join(dir, "state"));
  const rows = records.db.runs();
  records.close();
  assert.deepEqual(
    rows.map((r) => r.id).sort(),
    trials.map((t) => t.id).sort(),
    "every trial is a run recorded in the state folder",
  );
  assert.ok(rows.every((r) => r.status === "done" || r.status === "stopped"));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the human form prints a row per finished trial, then the leaderboard best first", async () => {
  const small = {
    ...example,
    run_cap: 3,
    early_terminate: undefined,
    run: { dataset: "iris", epochs: 3 },
  };
  const { code, out, dir } = await sweep([], small);
  assert.equal(code, 0);
  assert.match(out[0], /^trial +status +epochs +valAccuracy +layers\.0\.activation +lr$/);
  const board = out.slice(out.indexOf("") + 2, out.indexOf("") + 5);
  const scores = board.map((row) => Number(row.split(/\s+/)[3]));
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  assert.match(out.at(-1)!, /^best: trial \d \(run [0-9a-f-]+\), valAccuracy \d\.\d{4}$/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a bad sweep file exits 2 naming the file, the field and the fix, before any trial", async () => {
  const bad = { ...example, metric: { name: "val_acc", goal: "maximize" } };
  const { code, err, dir } = await sweep([], bad);
  assert.equal(code, 2);
  assert.match(
    err[0],
    /^error: --config .*sweep\.json: metric\.name: must be one of loss, val_loss/,
  );
  const lr = await sweep([], { ...example, parameters: { lr: { values: [0.1, -1] } } });
  assert.equal(lr.code, 2);
  assert.match(lr.err[0], /parameters\.lr\.values\.1: lr: must be a positive number$/);
  for (const d of [dir, lr.dir]) await Deno.remove(d, { recursive: true });
});

Deno.test("bad flags exit 2 with the flag named", async () => {
  const errors: string[] = [];
  const io = { out: () => {}, err: (l: string) => errors.push(l) };
  assert.equal(await main([], io), 2);
  assert.equal(await main(["--config", "x.json", "--concurrency", "0"], io), 2);
  assert.equal(await main(["--config", "x.json", "--bogus"], io), 2);
  assert.match(errors[0], /--config: is required/);
  assert.match(errors[1], /--concurrency: must be at least 1/);
  assert.match(errors[2], /bogus/);
});

Deno.test("a plugin no trial can use is refused before any trial, and a metric no trial reports exits 1 saying why", async () => {
  const typo = {
    ...smallIrisSweep(),
    method: "grid",
    run_cap: undefined,
    parameters: { "layers.0.activation": { values: ["relu", "rleu"] } },
  };
  const refused = await sweep([], typo);
  assert.equal(refused.code, 2);
  assert.match(
    refused.err.join("\n"),
    /trial 2 \(\{"layers\.0\.activation":"rleu"\}\): layers\.0\.activation: unknown activation "rleu"/,
  );
  assert.equal(refused.out.length, 0, "no trial ran");

  const sine = {
    method: "grid",
    metric: { name: "accuracy", goal: "maximize" },
    parameters: { lr: { values: [0.01] } },
    run: { dataset: "sine", epochs: 3 },
  };
  const silent = await sweep([], sine);
  assert.equal(silent.code, 1);
  assert.match(silent.err.at(-1)!, /^error: no trial trained to the end: .*accuracy/);
});
