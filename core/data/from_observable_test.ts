import assert from "node:assert/strict";
import { from, Observable, throwError } from "rxjs";
import type { Sample } from "./data_source.ts";
import { fromObservable } from "./from_observable.ts";

async function read(samples$: Observable<Sample>, signal = new AbortController().signal) {
  const out: Sample[] = [];
  for await (const s of fromObservable(samples$).open(signal)) out.push(s);
  return out;
}

Deno.test("fromObservable subscribes once per pass to a cold Observable", async () => {
  const samples$ = from([{ x: [0], y: 0 }, { x: [1], y: 2 }]);
  assert.deepEqual(await read(samples$), [{ x: [0], y: 0 }, { x: [1], y: 2 }]);
  assert.equal((await read(samples$)).length, 2);
});

Deno.test("fromObservable passes on the Observable's error", async () => {
  await assert.rejects(read(throwError(() => new RangeError("sensor offline"))), {
    message: "sensor offline",
  });
});

Deno.test("fromObservable unsubscribes when the reader stops early", async () => {
  let unsubscribed = false;
  const samples$ = new Observable<Sample>((s) => {
    s.next({ x: [1], y: 1 });
    s.next({ x: [2], y: 2 });
    return () => void (unsubscribed = true);
  });
  for await (const _ of fromObservable(samples$).open(new AbortController().signal)) break;
  assert.ok(unsubscribed);
});
