import type { LayerStats } from "../math/layer_stats.ts";
import { nextStride } from "./_pauser.ts";

/**
 * Epochs shorter than this are measured together: a clock read (~0.1 µs in
 * Deno) and the per-layer norms (a pass over the weights) cost as much as a
 * tiny network's whole epoch.
 */
export const MEASURE_MS = 0.25;
/** Epochs between measurements at most, so a sudden slow-down shows soon. */
const MAX_STRIDE = 128;

/** The measured fields of an epoch event. */
export interface EpochMeasure {
  samplesPerSec: number;
  elapsedMs: number;
  layers: readonly LayerStats[];
  /** Set when the figures are an earlier epoch's: that epoch. */
  measuredEpoch: number | undefined;
}

/**
 * Times epochs and decides which ones take per-layer norms: every epoch that
 * lasts `MEASURE_MS` or more, shorter ones together about every `MEASURE_MS`.
 * The epochs between measurements repeat the last measurement and say which
 * epoch it was.
 */
export interface EpochMeter {
  /** Whether the coming epoch is measured (`always`: it must be, e.g. the last). */
  begin(always: boolean): boolean;
  /** The pass of the epoch begun last ended with `rows` samples: the clock if it is measured. */
  passEnded(rows: number): number;
  /**
   * The figures of epoch `epoch`, whose pass ended at `ended` (from
   * `passEnded`): measured now, or the last measurement. `paused`: time that
   * is not training (validation) came after the pass. `layers` reads the
   * norms of a measured epoch. The result is the meter's own, read at once.
   */
  measure(
    epoch: number,
    ended: number,
    paused: boolean,
    layers: () => readonly LayerStats[],
  ): EpochMeasure;
  /** Time that is not training (a checkpoint's save) just ended: the next window starts now. */
  resume(): void;
}

/**
 * A meter whose first window starts now; `startedAt` is when the run started,
 * on the clock `now` (default `performance.now`).
 */
export function createEpochMeter(
  startedAt: number,
  now: () => number = () => performance.now(),
): EpochMeter {
  let began = now(), samples = 0, epochs = 0;
  let stride = 1, countdown = 1, measured = true;
  const last: EpochMeasure = {
    samplesPerSec: NaN,
    elapsedMs: 0,
    layers: [],
    measuredEpoch: undefined,
  };
  let lastEpoch = 0;
  return {
    begin(always) {
      measured = --countdown <= 0 || always;
      return measured;
    },
    passEnded(rows) {
      samples += rows;
      epochs++;
      return measured ? now() : NaN;
    },
    measure(epoch, ended, paused, layers) {
      if (!measured) {
        last.measuredEpoch = lastEpoch;
        return last;
      }
      const spent = ended - began;
      stride = paused ? 1 : nextStride(epochs, spent, MEASURE_MS, MAX_STRIDE);
      countdown = stride;
      last.samplesPerSec = samples / Math.max(spent, 1e-3) * 1000;
      began = paused ? now() : ended;
      samples = epochs = 0;
      last.elapsedMs = began - startedAt;
      last.layers = layers();
      last.measuredEpoch = undefined;
      lastEpoch = epoch;
      return last;
    },
    resume() {
      began = now();
      samples = epochs = 0;
      countdown = stride = 1;
    },
  };
}
