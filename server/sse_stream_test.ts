import assert from "node:assert/strict";
import { mock } from "node:test";
import { createRunLog } from "./run_log.ts";
import { runEventStream } from "./sse_stream.ts";
import { eventsOf, type ParsedFrame, sseReader } from "../testing/sse_reader.ts";

Deno.test("sse stream sends a retry hint, replays history, then the live tail", async () => {
  const log = createRunLog();
  log.append("status", { status: "running" });
  log.append("epoch", { epoch: 1 });
  const sse = sseReader(runEventStream(log, { retryMs: 1500 }));
  await sse.until((f) => f.length >= 3);
  assert.deepEqual(sse.frames[0], { retry: 1500 });
  log.append("epoch", { epoch: 2 });
  log.append("status", { status: "done" });
  log.close();
  const frames = await sse.all();
  assert.deepEqual(eventsOf(frames).map((f) => [f.event, f.id, f.data]), [
    ["status", "1", { status: "running" }],
    ["epoch", "2", { epoch: 1 }],
    ["epoch", "3", { epoch: 2 }],
    ["status", "4", { status: "done" }],
  ]);
  assert.equal(log.subscriberCount, 0);
});

Deno.test("sse stream after Last-Event-ID sends only later events", async () => {
  const log = createRunLog();
  for (let i = 1; i <= 4; i++) log.append("epoch", { epoch: i });
  log.close();
  const frames = await sseReader(runEventStream(log, { lastEventId: 2 })).all();
  assert.deepEqual(eventsOf(frames).map((f) => f.id), ["3", "4"]);
});

Deno.test("sse stream is released at once when the client cancels", async () => {
  const log = createRunLog();
  for (let round = 0; round < 50; round++) {
    const sse = sseReader(runEventStream(log));
    await sse.until((f) => f.length >= 1);
    assert.equal(log.subscriberCount, 1);
    await sse.cancel();
    assert.equal(log.subscriberCount, 0);
  }
  log.append("epoch", { epoch: 1 }); // nobody left to receive it
});

Deno.test("sse stream is released when the request's signal aborts", async () => {
  const log = createRunLog();
  const abort = new AbortController();
  const sse = sseReader(runEventStream(log, { signal: abort.signal }));
  await sse.until((f) => f.length >= 1);
  abort.abort();
  assert.equal(log.subscriberCount, 0);
  await sse.all();
  assert.equal(sse.ended, true);
});

Deno.test("sse stream sends a comment heartbeat every 15 s", async () => {
  mock.timers.enable({ apis: ["setInterval"] });
  try {
    const log = createRunLog();
    const sse = sseReader(runEventStream(log));
    await sse.until((f) => f.length >= 1);
    mock.timers.tick(14_999);
    log.append("epoch", { epoch: 1 });
    await sse.until((f) => f.length >= 2);
    mock.timers.tick(1);
    await sse.until((f) => f.length >= 3);
    assert.deepEqual(sse.frames.slice(1).map((f) => f.comment ?? f.event), ["epoch", "heartbeat"]);
    mock.timers.tick(15_000);
    await sse.until((f) => f.length >= 4);
    assert.equal(sse.frames[3].comment, "heartbeat");
    await sse.cancel();
    assert.equal(log.subscriberCount, 0);
  } finally {
    mock.timers.reset();
  }
});

Deno.test("sse stream throttles live batch events to one per interval per client", async () => {
  let now = 0;
  const log = createRunLog();
  const sse = sseReader(runEventStream(log, { now: () => now, batchIntervalMs: 100 }));
  await sse.until((f) => f.length >= 1);
  for (let i = 0; i < 30; i++) {
    log.append("batch", { i });
    now += 10; // 100 batch events per second
  }
  log.append("epoch", { epoch: 1 });
  log.close();
  const batches = eventsOf(await sse.all()).filter((f) => f.event === "batch");
  assert.deepEqual(batches.map((f) => (f.data as { i: number }).i), [0, 10, 20]);
});

Deno.test("a slow client loses batch events, never epoch events, and slows nobody", async () => {
  const log = createRunLog();
  const slow = sseReader(runEventStream(log, { maxQueue: 8, batchIntervalMs: 0 }));
  const fast = sseReader(runEventStream(log, { maxQueue: 8, batchIntervalMs: 0 }));
  await slow.until((f) => f.length >= 1);
  await fast.until((f) => f.length >= 1);
  const count = (event: string) => (f: ParsedFrame[]) => f.filter((x) => x.event === event).length;
  for (let e = 1; e <= 5; e++) {
    for (let b = 0; b < 20; b++) {
      log.append("batch", { e, b });
      await fast.until((f) => count("batch")(f) >= (e - 1) * 20 + b + 1); // fast keeps up
    }
    log.append("epoch", { epoch: e });
    await fast.until((f) => count("epoch")(f) >= e);
  }
  log.close();
  const slowEvents = eventsOf(await slow.all());
  assert.deepEqual(slowEvents.filter((f) => f.event === "epoch").length, 5);
  assert.ok(slowEvents.filter((f) => f.event === "batch").length < 100);
  assert.equal(eventsOf(await fast.all()).filter((f) => f.event === "batch").length, 100);
});

Deno.test("a client too slow even for epoch events is closed and can resume from history", async () => {
  const log = createRunLog();
  const slow = sseReader(runEventStream(log, { maxQueue: 3 }));
  await slow.until((f) => f.length >= 1);
  for (let e = 1; e <= 10; e++) log.append("epoch", { epoch: e });
  const got = eventsOf(await slow.all());
  assert.equal(log.subscriberCount, 0);
  const last = Number(got.at(-1)?.id ?? 0);
  log.close();
  const rest = eventsOf(await sseReader(runEventStream(log, { lastEventId: last })).all());
  assert.deepEqual([...got, ...rest].map((f) => f.id), [
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "10",
  ]);
});
