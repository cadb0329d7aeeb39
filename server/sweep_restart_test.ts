// `deno task serve` keeps its sweeps in the state folder: after `kill -9` mid-sweep and a
// restart, the sweep is listed, keeps the decisions made before, goes on stopping weak trials
// early, and finishes with the best trial's model.
import assert from "node:assert/strict";
import { waitFor } from "./_testing/wait_for.ts";
import { server } from "./_testing/served.ts";
import { irisSweep } from "../testing/sweep_fixtures.ts";

// Six trials of the example iris sweep two at a time; the first trial at each rung goes on, so
// one of the first two trains its 1500 epochs (seconds) while the other lane's trials stop early.
const SWEEP = {
  ...irisSweep(),
  early_terminate: { type: "hyperband", min_iter: 2, eta: 3 },
  run_cap: 6,
  seed: 5,
  run: { dataset: "iris", epochs: 1500 },
};

interface Trial {
  index: number;
  id?: string;
  status: string;
  stoppedAt?: number;
}
interface Sweep {
  status: string;
  trials: Trial[];
  decisions: { trial: number; rung: number; decision: string }[];
  best: { id: string } | null;
}

const ended = (t: Trial) => t.status === "done" || t.status === "stopped" || t.status === "failed";

Deno.test("a server killed with SIGKILL mid-sweep lists the sweep after a restart and finishes it with its earlier decisions", async () => {
  const dir = await Deno.makeTempDir();
  let node = await server(["--state-dir", dir]);
  const sweepOf = async (id: string): Promise<Sweep> =>
    await (await node.api(`/api/sweeps/${id}`)).json();
  try {
    const created = await node.api("/api/sweeps", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(SWEEP),
    });
    assert.equal(created.status, 201);
    const { id } = await created.json();
    let before: Sweep | undefined;
    await waitFor(
      async () => {
        const sweep = await sweepOf(id);
        assert.equal(sweep.status, "running", "the sweep ended before the kill: make it longer");
        const stopped = sweep.decisions.some((d) => d.decision === "stop");
        const waiting = sweep.trials.some((t) => t.status === "pending");
        if (stopped && waiting && sweep.trials.filter(ended).length >= 2) before = sweep;
        return before !== undefined;
      },
      "a trial stopped early, two ended, one still to start",
      180_000,
    );
    await node.stop("SIGKILL");

    node = await server(["--state-dir", dir]);
    const listed = await (await node.api("/api/sweeps")).json();
    assert.deepEqual(listed.sweeps.map((s: { id: string }) => s.id), [id]);
    await waitFor(
      async () => (await sweepOf(id)).status === "done",
      "the sweep to finish",
      300_000,
    );
    const after = await sweepOf(id);
    assert.deepEqual(
      after.decisions.slice(0, before!.decisions.length),
      before!.decisions,
      "the decisions made before the kill are kept, in order",
    );
    assert.ok(
      after.decisions.length > before!.decisions.length,
      "early termination went on: the trials started after the restart were judged",
    );
    for (const trial of before!.trials.filter(ended)) {
      const { id: runId, status, stoppedAt } = after.trials[trial.index];
      assert.deepEqual({ id: runId, status, stoppedAt }, {
        id: trial.id,
        status: trial.status,
        stoppedAt: trial.stoppedAt,
      });
    }
    for (const trial of after.trials) {
      assert.ok(
        ["done", "stopped"].includes(trial.status),
        `trial ${trial.index}: ${trial.status}`,
      );
      const run = await (await node.api(`/api/runs/${trial.id}`)).json();
      assert.equal(run.status, trial.status, "its run says the same");
    }
    const runs = (await (await node.api("/api/runs")).json()).runs;
    assert.equal(runs.length, 6, "one run per trial: none started twice");
    const model = await node.api(`/api/runs/${after.best!.id}/model`);
    assert.equal(model.status, 200);
    assert.ok((await model.json()).weights, "the best trial's model downloads");
  } finally {
    await node.stop("SIGINT");
    await Deno.remove(dir, { recursive: true });
  }
});
