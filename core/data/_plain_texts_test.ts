import assert from "node:assert/strict";
import { plainTexts } from "./_plain_texts.ts";

Deno.test("noted numbers join a column's texts in first-seen order, once each, after the texts it had", () => {
  const notes = plainTexts(3);
  for (const x of [5, 0, 5, 1023, 0]) notes.add(2, x);
  notes.add(1, 9);
  const texts = notes.flush(2, new Map([["0", 0], ["red", 1]]), 100);
  assert.deepEqual([...texts], [["0", 0], ["red", 1], ["5", 2], ["1023", 3]]);
  assert.deepEqual([...notes.flush(2, new Map(), 100)], []); // flushed once
  assert.deepEqual([...notes.flush(1, new Map(), 100)], [["9", 0]]);
});

Deno.test("a flush stops adding texts once the column holds more than the cap", () => {
  const notes = plainTexts(1);
  for (let x = 0; x < 10; x++) notes.add(0, x);
  assert.equal(notes.flush(0, new Map(), 3).size, 4); // adds while size <= 3
});

Deno.test("a dropped column's numbers never become texts, and count as seen", () => {
  const notes = plainTexts(1);
  notes.add(0, 4), notes.drop(0), notes.add(0, 4), notes.add(0, 6);
  assert.deepEqual([...notes.flush(0, new Map(), 100).keys()], ["6"]);
});
