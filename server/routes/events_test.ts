import assert from "node:assert/strict";
import { errorOf, postJson, withApp } from "../_testing/test_app.ts";
import { epochEvent, manualTraining, startEvent } from "../_testing/fake_training.ts";
import { eventsOf, sseReader } from "../../testing/sse_reader.ts";
import { waitFor } from "../_testing/wait_for.ts";

Deno.test("the events route streams SSE with ids, uncompressed and uncached", async () => {
  await withApp(async ({ app, store }) => {
    const { id } = await (await app.request("/api/runs", postJson({ dataset: "xor" }))).json();
    await waitFor(() => store.get(id)?.status === "done", "the run to finish");
    const res = await app.request(`/api/runs/${id}/events`, {
      headers: { "accept-encoding": "gzip, br" },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.equal(res.headers.get("cache-control"), "no-cache, no-transform");
    assert.equal(res.headers.get("content-encoding"), "identity");
    const text = await res.text();
    assert.match(text, /^retry: 2000\n\nevent: status\nid: 1\ndata: \{"status":"running"\}\n\n/);
    const frames = await sseReader(new Response(text).body!).all();
    const ids = eventsOf(frames).map((f) => Number(f.id));
    assert.deepEqual(ids, ids.map((_, i) => i + 1), "one increasing sequence from 1");
    const kinds = eventsOf(frames).map((f) => f.event).filter((e) => e !== "batch");
    assert.deepEqual(kinds, ["status", "status", "epoch", "epoch", "epoch", "end", "status"]);
    const epoch = eventsOf(frames).find((f) => f.event === "epoch")!.data as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(epoch).sort(), [
      "accuracy",
      "elapsedMs",
      "epoch",
      "epochs",
      "layers",
      "loss",
      "lr",
      "samplesPerSec",
      "valLoss",
    ]);
    assert.deepEqual(eventsOf(frames).at(-1)?.data, { status: "done" });
  });
});

Deno.test("Last-Event-ID replays only later events; a fully delivered finished run is a 204", async () => {
  await withApp(async ({ app, store }) => {
    const { id } = await (await app.request("/api/runs", postJson({ dataset: "xor" }))).json();
    await waitFor(() => store.get(id)?.status === "done", "the run to finish");
    const last = store.get(id)!.log.lastId;
    const res = await app.request(`/api/runs/${id}/events`, {
      headers: { "last-event-id": String(last - 2) },
    });
    const frames = eventsOf(await sseReader(res.body!).all());
    assert.deepEqual(frames.map((f) => Number(f.id)), [last - 1, last]);
    const query = await app.request(`/api/runs/${id}/events?lastEventId=${last - 1}`);
    assert.deepEqual(eventsOf(await sseReader(query.body!).all()).map((f) => Number(f.id)), [last]);
    const done = await app.request(`/api/runs/${id}/events`, {
      headers: { "last-event-id": String(last) },
    });
    assert.equal(done.status, 204, "204 tells EventSource not to reconnect");
    const bad = await errorOf(
      await app.request(`/api/runs/${id}/events`, { headers: { "last-event-id": "abc" } }),
      400,
    );
    assert.equal(bad.code, "invalid_last_event_id");
  });
});

Deno.test("a live client gets the tail, and a disconnect releases it at once", async () => {
  const manual = manualTraining();
  await withApp(async ({ app, store }) => {
    const { id } = await (await app.request("/api/runs", postJson({ dataset: "xor" }))).json();
    await waitFor(() => manual.subscribers === 1, "training to start");
    const log = store.get(id)!.log;
    for (let round = 0; round < 100; round++) {
      const res = await app.request(`/api/runs/${id}/events`);
      const sse = sseReader(res.body!);
      await sse.until((f) => f.length >= 2);
      assert.equal(log.subscriberCount, 1);
      await sse.cancel();
      assert.equal(log.subscriberCount, 0, `round ${round}`);
    }
    const res = await app.request(`/api/runs/${id}/events`);
    const sse = sseReader(res.body!);
    manual.emit(startEvent(2));
    manual.emit(epochEvent(1, 2));
    await sse.until((f) => f.some((x) => x.event === "epoch"));
    manual.emit(epochEvent(2, 2));
    manual.complete();
    const frames = eventsOf(await sse.all());
    assert.deepEqual(
      frames.filter((f) => f.event === "epoch").map((f) => (f.data as { epoch: number }).epoch),
      [1, 2],
    );
    assert.deepEqual(frames.at(-1)?.data, { status: "done" });
    assert.equal(log.subscriberCount, 0);
  }, { store: { launch: () => manual.training } });
});

Deno.test("many clients on one run each get every epoch event", async () => {
  const manual = manualTraining();
  await withApp(async ({ app }) => {
    const { id } = await (await app.request("/api/runs", postJson({ dataset: "xor" }))).json();
    await waitFor(() => manual.subscribers === 1, "training to start");
    const clients = await Promise.all(
      Array.from(
        { length: 50 },
        async () => sseReader((await app.request(`/api/runs/${id}/events`)).body!),
      ),
    );
    manual.emit(startEvent(5));
    for (let e = 1; e <= 5; e++) {
      manual.emit(epochEvent(e, 5));
      await new Promise((r) => setTimeout(r, 0));
    }
    manual.complete();
    for (const sse of clients) {
      const epochs = eventsOf(await sse.all()).filter((f) => f.event === "epoch");
      assert.deepEqual(epochs.map((f) => (f.data as { epoch: number }).epoch), [1, 2, 3, 4, 5]);
    }
  }, { store: { launch: () => manual.training } });
});
