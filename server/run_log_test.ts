import assert from "node:assert/strict";
import { createRunLog, type LoggedEvent } from "./run_log.ts";

Deno.test("run log gives events one increasing id sequence and a ready SSE frame", () => {
  const log = createRunLog();
  const a = log.append("status", { status: "running" });
  const b = log.append("epoch", { epoch: 1 });
  assert.deepEqual([a.id, b.id, log.lastId], [1, 2, 2]);
  assert.equal(b.frame, 'event: epoch\nid: 2\ndata: {"epoch":1}\n\n');
});

Deno.test("run log replays the events after an id", () => {
  const log = createRunLog();
  for (let i = 1; i <= 5; i++) log.append("epoch", { epoch: i });
  assert.deepEqual(log.since(3).map((e) => e.id), [4, 5]);
  assert.deepEqual(log.since(0).length, 5);
  assert.deepEqual(log.since(99), []);
});

Deno.test("run log thins batch events past its bound but never drops epoch events", () => {
  const log = createRunLog({ maxBatchEvents: 10 });
  for (let e = 1; e <= 50; e++) {
    for (let b = 0; b < 20; b++) log.append("batch", { epoch: e, b });
    log.append("epoch", { epoch: e });
  }
  const kept = log.since(0);
  assert.equal(kept.filter((e) => e.event === "epoch").length, 50);
  assert.ok(kept.filter((e) => e.event === "batch").length <= 10);
  assert.ok(log.historySize <= 60);
  const ids = kept.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((x, y) => x - y), "history stays in id order");
});

Deno.test("run log thins window events past maxWindowEvents, keeping the first and the last, and never drops status events", () => {
  const log = createRunLog({ maxWindowEvents: 8 });
  log.append("status", { status: "running" });
  for (let w = 1; w <= 1001; w++) log.append("window", { window: w });
  const windows = log.since(0).filter((e) => e.event === "window");
  assert.ok(windows.length <= 8, `${windows.length} window events kept`);
  assert.deepEqual(windows[0].data, { window: 1 });
  assert.deepEqual(windows.at(-1)!.data, { window: 1001 });
  assert.equal(log.since(0)[0].event, "status");
  assert.throws(() => createRunLog({ maxWindowEvents: 1 }), /^RangeError: Invalid maxWindowEvents/);
});

Deno.test("run log fans out to subscribers and tells them when it closes", () => {
  const log = createRunLog();
  const seen: LoggedEvent[] = [];
  let closed = 0;
  const off = log.subscribe({ next: (e) => seen.push(e), close: () => closed++ });
  log.subscribe({ next: () => {}, close: () => closed++ });
  assert.equal(log.subscriberCount, 2);
  log.append("epoch", { epoch: 1 });
  off();
  log.append("epoch", { epoch: 2 });
  assert.deepEqual(seen.map((e) => e.id), [1]);
  log.close();
  assert.equal(closed, 1);
  assert.equal(log.subscriberCount, 0);
  assert.throws(() => log.append("epoch", {}), { name: "TypeError", message: /closed/ });
});

Deno.test("subscribing to a closed run log closes the subscriber at once", () => {
  const log = createRunLog();
  log.close();
  let closed = false;
  log.subscribe({ next: () => {}, close: () => (closed = true) });
  assert.equal(closed, true);
  assert.equal(log.subscriberCount, 0);
});

Deno.test("run log rejects a history bound below 2", () => {
  assert.throws(() => createRunLog({ maxBatchEvents: 1 }), { name: "RangeError" });
});
