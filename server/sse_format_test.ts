import assert from "node:assert/strict";
import { formatComment, formatRetry, formatSse } from "./sse_format.ts";

Deno.test("an SSE message has event, id and one JSON data line, then a blank line", () => {
  assert.equal(
    formatSse({ event: "epoch", id: 7, data: { loss: 0.5 } }),
    'event: epoch\nid: 7\ndata: {"loss":0.5}\n\n',
  );
  assert.equal(formatSse({ data: null }), "data: null\n\n");
  assert.equal(formatSse({ data: undefined }), "data: null\n\n");
  assert.equal(formatSse({ data: 1, retry: 1500.4 }), "retry: 1500\ndata: 1\n\n");
});

Deno.test("line breaks in data stay escaped inside the one data line", () => {
  const frame = formatSse({ event: "error", data: { message: "line 1\nline 2\r\n" } });
  assert.equal(frame.split("\n").filter((l) => l.startsWith("data:")).length, 1);
  assert.ok(frame.endsWith("\n\n") && !frame.slice(0, -2).includes("\n\n"));
});

Deno.test("a line break in an event name, id or comment is a TypeError", () => {
  assert.throws(() => formatSse({ event: "a\nb", data: 1 }), {
    name: "TypeError",
    message: /event/,
  });
  assert.throws(() => formatSse({ id: "1\r2", data: 1 }), { name: "TypeError", message: /id/ });
  assert.throws(() => formatComment("x\ny"), { name: "TypeError", message: /comment/ });
});

Deno.test("comments and retry hints have their own frames", () => {
  assert.equal(formatComment("heartbeat"), ": heartbeat\n\n");
  assert.equal(formatRetry(2000), "retry: 2000\n\n");
});
