import assert from "node:assert/strict";
import { createRng } from "../math/rng.ts";
import type { Sample } from "./data_source.ts";
import { sampleReader } from "./_sample_reader.ts";

const samples = (n: number): Sample[] => Array.from({ length: n }, (_, i) => ({ x: [i], y: i }));

async function order(n: number, seed: number, size: number, pulled?: number[]): Promise<number[]> {
  async function* source() {
    for (const s of samples(n)) pulled?.push(s.y as number), yield s;
  }
  const reader = sampleReader(source(), { rng: createRng(seed), size });
  const out: number[] = [];
  // The reader reuses the sample it gives: read its value at once.
  for (let s = await reader.next(); s; s = await reader.next()) {
    out.push(typeof s.y === "number" ? s.y : s.y[0]);
  }
  return out;
}

Deno.test("the shuffle buffer gives a permutation that depends only on the seed", async () => {
  const a = await order(100, 7, 16), b = await order(100, 7, 16), c = await order(100, 8, 16);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual([...a].sort((p, q) => p - q), Array.from({ length: 100 }, (_, i) => i));
  assert.notDeepEqual(a, Array.from({ length: 100 }, (_, i) => i));
});

Deno.test("the shuffle buffer reads at most its size plus one sample ahead", async () => {
  const pulled: number[] = [];
  async function* source() {
    for (const s of samples(1000)) pulled.push(0), yield s;
  }
  const reader = sampleReader(source(), { rng: createRng(1), size: 10 });
  await reader.next();
  assert.equal(pulled.length, 11);
  await reader.close();
});

Deno.test("without shuffling the reader keeps the source order", async () => {
  const reader = sampleReader(samples(3));
  const out = [];
  for (let s = await reader.next(); s; s = await reader.next()) out.push(s.y);
  assert.deepEqual(out, [0, 1, 2]);
});
