/**
 * How many calls to let pass before the next clock read, for code that reads
 * the clock (~0.1 µs in Deno) about every `targetMs` while its calls may take
 * under a microsecond each: the trainer's event-loop turns and its epoch
 * measurements.
 *
 * `stride` calls took `spentMs`; the next stride fits `targetMs` at that pace,
 * at most doubles (a sudden speed-up is not trusted at once) and stays within
 * 1..`max` (a call that suddenly gets slower delays a read by at most `max`
 * calls).
 *
 * @example
 * ```ts
 * import { nextStride } from "./_stride.ts";
 * nextStride(4, 0.01, 0.25, 64); // 8: 4 calls took 10 µs, but at most double
 * nextStride(8, 1, 0.25, 64); // 2
 * ```
 */
export function nextStride(stride: number, spentMs: number, targetMs: number, max: number): number {
  const fit = spentMs > 0 ? Math.round(stride * targetMs / spentMs) : max;
  return Math.max(1, Math.min(max, 2 * stride, fit));
}
