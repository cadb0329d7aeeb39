import assert from "node:assert/strict";
import { peerReport, type PeerRow, ratioOf } from "./_report.ts";

const machine = {
  cpu: "AMD EPYC",
  cores: 2,
  deno: "2.9.6",
  v8: "15",
  date: "2026-01-02",
  mode: "quick",
};
const row = (nagare: number, peer: number, digits?: number): PeerRow => ({
  workload: "W1 mnist-mlp",
  measure: "training samples/s",
  nagare: { setup: "wasm-simd, 1 thread", value: nagare },
  peer: { setup: "tfjs-wasm", value: peer },
  ...(digits === undefined ? {} : { digits }),
});

Deno.test("peerReport prints the machine, one row per measure with its ratio, and the targets", () => {
  const fast = row(25_000, 5_000), close = row(95.4, 95.2, 2), rss = row(120, 300);
  const md = peerReport(machine, [fast, close, rss], [
    { label: "3x", row: fast, atLeast: 3 },
    { label: "10x", row: fast, atLeast: 10 },
    { label: "close", row: close, within: 0.5 },
    { label: "small", row: rss, below: 150 },
  ]);
  assert.match(
    md,
    /AMD EPYC, 2 cores, Deno 2\.9\.6 \(V8 15\), TensorFlow\.js 4\.22\.0; 2026-01-02; quick/,
  );
  assert.match(
    md,
    /\| W1 mnist-mlp \| training samples\/s \| wasm-simd, 1 thread \| 25,000 \| tfjs-wasm \| 5,000 \| 5\.00 \|/,
  );
  assert.match(md, /\| 95\.40 \| tfjs-wasm \| 95\.20 \|/);
  assert.match(md, /- met: 3x \(ratio 5\.00\)/);
  assert.match(md, /- \*\*not met\*\*: 10x \(ratio 5\.00\)/);
  assert.match(md, /- met: close \(difference 0\.20\)/);
  assert.match(md, /- met: small \(120\)/);
});

Deno.test("ratioOf is NaN when the peer measured nothing, and prints as a dash", () => {
  assert.ok(Number.isNaN(ratioOf(row(1, 0))));
  assert.match(peerReport(machine, [row(1, 0)], []), /\| 1 \| tfjs-wasm \| 0 \| - \|/);
});
