// Samples of a 2-D stream for live-run tests, as the NDJSON that
// `POST /api/runs/:id/samples` takes.
import { createRng } from "../../core/math/rng.ts";

/** NDJSON of `n` seeded points in [-1, 1]², class 1 (`y: [0, 1]`) above the line y = x. */
export function lineSamples(n: number, seed: number): string {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const a = 2 * rng.float() - 1, b = 2 * rng.float() - 1;
    return JSON.stringify({ x: [a, b], y: b > a ? [0, 1] : [1, 0] });
  }).join("\n") + "\n";
}
