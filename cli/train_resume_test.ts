// `deno task train` records its run and checkpoints every epoch; after `kill -9`,
// `--resume` goes on from the last checkpoint to the weights of a run never interrupted.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { taskFlags } from "../testing/task_flags.ts";

const SCRIPT = new URL("./train.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;
const RUN = ["--dataset", "mnist", "--layers", "32:relu,10:softmax", "--epochs", "3"];

function train(dir: string, args: string[], stdout: "piped" | "null" = "null") {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      ...taskFlags("train"), // the task's own rights: no -A, which would hide what it may not do
      "--config",
      CONFIG,
      SCRIPT,
      "--state-dir",
      "state",
      ...args,
    ],
    cwd: dir,
    stdin: "null",
    stdout,
    stderr: "piped",
  });
}

const weights = async (path: string) =>
  JSON.stringify(JSON.parse(await Deno.readTextFile(path)).weights);

Deno.test("a CLI run killed with SIGKILL resumes with --resume to the weights of an uninterrupted run", async () => {
  const dir = await Deno.makeTempDir();
  // The first run is killed as soon as it reports its second epoch (the first one's checkpoint is in).
  const child = train(dir, [...RUN, "--json", "--out", "a.json"], "piped").spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/"type":"epoch"[^\n]*"epoch":2/.test(text)) {
    const { value, done } = await lines.read();
    assert.ok(!done, `the run ended before its second epoch: ${text}`);
    text += value;
  }
  child.kill("SIGKILL");
  await lines.cancel();
  await child.stderr.cancel();
  assert.equal((await child.status).signal, "SIGKILL");

  const db = new DatabaseSync(join(dir, "state", "runs.db"));
  const [row] = db.prepare("SELECT id, status FROM runs").all();
  const checkpoint = db.prepare("SELECT epoch FROM checkpoints").get();
  db.close();
  assert.equal(row.status, "running", "the killed run is left as it was, not stopped");
  assert.ok(Number(checkpoint?.epoch) >= 1, "its first epoch was checkpointed");

  const resumed = await train(dir, ["--resume", "--quiet"]).output();
  const said = new TextDecoder().decode(resumed.stderr);
  assert.equal(resumed.code, 0, said);
  const fresh = await train(dir, [...RUN, "--no-record", "--quiet", "--out", "b.json"]).output();
  assert.equal(fresh.code, 0, new TextDecoder().decode(fresh.stderr));
  assert.equal(await weights(join(dir, "a.json")), await weights(join(dir, "b.json")));

  const after = new DatabaseSync(join(dir, "state", "runs.db"));
  const runs = after.prepare("SELECT status FROM runs").all().map((r) => r.status);
  const epochs = after.prepare("SELECT data FROM events WHERE event = 'epoch' ORDER BY id").all()
    .map((r) => JSON.parse(String(r.data)).epoch);
  after.close();
  assert.deepEqual(runs, ["done"], "--no-record recorded nothing");
  assert.deepEqual(epochs, [1, 2, 3], "every epoch logged exactly once");

  const again = await train(dir, ["--resume", String(row.id)]).output();
  assert.equal(again.code, 2);
  assert.match(
    new TextDecoder().decode(again.stderr),
    /the run is done; there is nothing to continue/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("--resume refuses flags that would change the run, and --no-record", async () => {
  const { parseFlags } = await import("./flags.ts");
  assert.throws(
    () => parseFlags(["--resume", "--epochs", "5"]),
    /--resume: .*drop the flags.*epochs/,
  );
  assert.throws(() => parseFlags(["--resume", "--no-record"]), /--resume and --no-record/);
  assert.equal(parseFlags(["--resume", "abc", "--json"]).resume, "abc");
  assert.equal(parseFlags(["--resume=abc"]).resume, "abc");
  assert.equal(parseFlags(["--resume", "--json"]).resume, true);
  assert.equal(parseFlags([]).record, true);
  assert.equal(parseFlags(["--no-record"]).record, false);
});
