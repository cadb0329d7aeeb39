// Ctrl-C stops `deno task sweep` cleanly: every running trial ends "stopped" in the state
// folder (not left "running" for the next server to resume), nothing is written, exit 130.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { irisSweep } from "../testing/sweep_fixtures.ts";

const SCRIPT = new URL("./sweep.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

function statuses(dir: string): string[] {
  try {
    const db = new DatabaseSync(join(dir, "state", "runs.db"));
    const rows = db.prepare("SELECT status FROM runs").all().map((r) => String(r.status));
    db.close();
    return rows;
  } catch {
    return []; // not created yet
  }
}

Deno.test("Ctrl-C stops a sweep's running trials, writes no model and exits 130", async () => {
  const dir = await Deno.makeTempDir();
  const long = {
    ...irisSweep(),
    early_terminate: undefined,
    run: { dataset: "iris", epochs: 100000 },
  };
  await Deno.writeTextFile(join(dir, "sweep.json"), JSON.stringify(long));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", "--config", CONFIG, SCRIPT, "--config", "sweep.json"]
      .concat(["--state-dir", "state", "--out", "best.json"]),
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const deadline = Date.now() + 60_000; // a hang guard only
  while (statuses(dir).filter((s) => s === "running").length < 2) {
    assert.ok(Date.now() < deadline, "two trials never started");
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGINT");
  const { code } = await child.status;
  const said = await new Response(child.stderr).text();
  assert.equal(code, 130, said);
  assert.match(said, /interrupted: the sweep stopped; best\.json not written/);
  const rows = statuses(dir);
  assert.equal(rows.length, 2, "no trial started after Ctrl-C");
  assert.deepEqual(rows, ["stopped", "stopped"]);
  await assert.rejects(Deno.stat(join(dir, "best.json")), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});
