import assert from "node:assert/strict";
import { clip, describeValue, quote, QUOTE_CHARS } from "./_quote.ts";

Deno.test("quote keeps short text whole and cuts long text to 80 characters with its length", () => {
  assert.equal(QUOTE_CHARS, 80);
  assert.equal(quote("abc"), '"abc"');
  assert.equal(quote("a".repeat(80)), `"${"a".repeat(80)}"`);
  assert.equal(quote("a".repeat(5_000_000)), `"${"a".repeat(80)}…" (5,000,000 characters)`);
  assert.equal(
    quote('"\n'.repeat(100)),
    `${JSON.stringify('"\n'.repeat(40)).slice(0, -1)}…" (200 characters)`,
  );
});

Deno.test("clip cuts text already quoted or bare to 80 characters and a …", () => {
  assert.equal(clip("short"), "short");
  assert.equal(clip("p".repeat(81)), `${"p".repeat(80)}…`);
});

Deno.test("describeValue never walks into a value: kind and size for arrays and objects", () => {
  assert.equal(describeValue(null), "null");
  assert.equal(describeValue(Infinity), "Infinity");
  assert.equal(describeValue(1e39), "1e+39");
  assert.equal(describeValue(true), "true");
  assert.equal(describeValue("1"), '"1"');
  assert.equal(describeValue(undefined), "undefined");
  let deep: unknown = [];
  for (let i = 0; i < 1_000_000; i++) deep = [deep];
  assert.equal(describeValue(deep), "an array of 1 value");
  assert.equal(describeValue(new Array(12_345).fill(0)), "an array of 12,345 values");
  assert.equal(describeValue({ a: { b: 1 } }), "an object");
});
