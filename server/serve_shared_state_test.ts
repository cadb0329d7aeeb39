// Two `deno task serve` processes on one --state-dir, run with the task's own permissions:
// a run trained by one is followed live by the other (every epoch, same ids) and cannot be
// stopped there; when its server dies, the other takes it over once the lease ends.
import assert from "node:assert/strict";
import { eventsOf, type ParsedFrame, sseReader } from "../testing/sse_reader.ts";
import { server } from "./_testing/served.ts";
import { waitFor } from "./_testing/wait_for.ts";

const RUN = {
  dataset: "mnist",
  // Slow enough (small batches, a wide layer) that it is still training when its server dies.
  layers: [{ units: 256, activation: "relu" }, { units: 10, activation: "softmax" }],
  batchSize: 16,
  epochs: 16,
};
const epochsOf = (frames: ParsedFrame[]) =>
  frames.filter((f) => f.event === "epoch").map((f) => (f.data as { epoch: number }).epoch);

Deno.test("two servers on one state folder: one trains, the other follows, and takes over when it dies", async () => {
  const dir = await Deno.makeTempDir();
  const a = await server(["--state-dir", dir]);
  const b = await server(["--state-dir", dir]);
  try {
    const created = await a.api("/api/runs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(RUN),
    });
    assert.equal(created.status, 201);
    const { id } = await created.json();
    await waitFor(async () => (await b.api(`/api/runs/${id}`)).status === 200, "b to see the run");
    const stream = sseReader((await b.api(`/api/runs/${id}/events`)).body!);
    await stream.until((frames) => epochsOf(frames).includes(1));
    assert.equal(
      (await (await a.api(`/api/runs/${id}`)).json()).status,
      "running",
      "a run still training",
    );
    const stop = await b.api(`/api/runs/${id}/stop`, { method: "POST" });
    assert.equal(stop.status, 409);
    assert.match((await stop.json()).error.message, /trained by another process/);

    await a.stop("SIGKILL");
    const frames = eventsOf(await stream.all()); // b's stream of a's run ends when b adopts it
    const seen = epochsOf(frames);
    assert.deepEqual(seen, seen.map((_, i) => i + 1), "the epochs a trained, in order, once each");
    await waitFor(
      async () => (await (await b.api(`/api/runs/${id}`)).json()).status === "done",
      "b to finish the run",
      120_000,
    );
    const replay = eventsOf(await sseReader((await b.api(`/api/runs/${id}/events`)).body!).all());
    const all = Array.from({ length: RUN.epochs }, (_, i) => i + 1);
    assert.deepEqual(epochsOf(replay), all, "every epoch once in the history");
    const ids = replay.map((f) => Number(f.id));
    assert.deepEqual(ids, [...new Set(ids)].sort((x, y) => x - y));
    assert.ok(
      replay.some((f) => (f.data as { reason?: string }).reason === "resumed after a restart"),
    );
  } finally {
    await a.stop();
    await b.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
