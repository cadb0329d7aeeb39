import assert from "node:assert/strict";
import { parseLiveConfig } from "../jobs/live_config.ts";
import { createLiveRuns } from "./live_runs.ts";
import { parseSamples } from "./ndjson_samples.ts";
import { lineSamples } from "./_testing/line_samples.ts";

const parsed = parseLiveConfig({
  dataset: { live: { inputs: 2, outputs: 2 } },
  layers: [{ units: 4, activation: "tanh" }, { units: 2, activation: "softmax" }],
  batchSize: 10,
  window: 10,
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const CONFIG = parsed.config;
const WIDTHS = CONFIG.dataset.live;

Deno.test("a live run's log keeps at most maxWindowEvents windows, the first and the last among them", async () => {
  const live = createLiveRuns({ launch: { flushMs: 0 }, maxWindowEvents: 4 });
  try {
    const run = await live.create(CONFIG);
    for (let i = 0; i < 5; i++) await run.push(parseSamples(lineSamples(40, i + 1), WIDTHS));
    const windows = run.log.since(0).filter((e) => e.event === "window");
    assert.ok(windows.length <= 4, `${windows.length} window events kept`);
    assert.equal((windows[0].data as { samples: number }).samples, 10);
    assert.equal((windows.at(-1)!.data as { samples: number }).samples, 200);
    assert.equal(run.lastWindow?.samples, 200);
  } finally {
    await live.close();
  }
});

Deno.test("only the keepFinished most recent stopped live runs are kept, and a running one is never removed", async () => {
  const ids = ["a", "b", "c", "d"];
  const live = createLiveRuns({
    launch: { flushMs: 0 },
    keepFinished: 2,
    newId: () => ids.shift()!,
  });
  try {
    for (let i = 0; i < 4; i++) await live.create(CONFIG);
    for (const id of ["a", "b", "c"]) await live.stop(id);
    assert.deepEqual(live.list().map((r) => [r.id, r.status]), [
      ["d", "running"],
      ["c", "stopped"],
      ["b", "stopped"],
    ]);
    assert.equal(live.get("a"), undefined);
    assert.equal(live.get("b")?.finalModel?.format, "nagare-model");
  } finally {
    await live.close();
  }
});
