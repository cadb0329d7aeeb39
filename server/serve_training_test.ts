import assert from "node:assert/strict";
import { lastValueFrom, toArray } from "rxjs";
import { parseRunConfig } from "../jobs/run_config.ts";
import { serveTraining } from "./serve_training.ts";
import { epochEvent, fakeLaunch, manualTraining, startEvent } from "./_testing/fake_training.ts";

Deno.test("train --serve: the CLI's run shows live on the dashboard and its Stop button ends it", async () => {
  const manual = manualTraining();
  const live = await serveTraining(parseRunConfig({ dataset: "xor" }), manual.training, {
    port: 0,
    launch: fakeLaunch(),
    onListen: () => {},
  });
  try {
    const seen = lastValueFrom(live.events$.pipe(toArray()));
    manual.emit(startEvent(3));
    manual.emit(epochEvent(1));
    const api = (path: string, init?: RequestInit) => fetch(new URL(path, live.server.url), init);
    const run = await (await api(`/api/runs/${live.run.id}`)).json();
    assert.equal(run.status, "running");
    assert.equal(run.metrics.epoch, 1);
    const events = await api(`/api/runs/${live.run.id}/events`);
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    assert.match((await reader.read()).value!, /event: epoch/);
    await reader.cancel();
    assert.equal((await api(`/api/runs/${live.run.id}/stop`, { method: "POST" })).status, 200);
    assert.equal((await seen).length, 2, "the CLI's stream completes after the events so far");
    assert.equal(manual.subscribers, 0, "training stopped");
    assert.equal(live.run.status, "stopped");
  } finally {
    await live.close();
  }
});
