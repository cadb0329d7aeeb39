// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";
import type { BatchEvent } from "../core/train/train_events.ts";

/** A progress bar for the batches of one epoch at a time. */
export interface Progress {
  /** Moves the bar to this batch (starting a new bar at the first batch of an epoch). */
  batch(event: BatchEvent): void;
  /** Removes the bar, e.g. before printing the epoch's summary line. */
  clear(): void;
}

/** Options of {@linkcode createProgress}. */
export interface ProgressOptions {
  /** Where to draw (a Node-style writable: `process.stdout` or `process.stderr`). */
  stream: NodeJS.WritableStream;
  /** Draw nothing at all (not a TTY, or --quiet). */
  disabled?: boolean;
  /** Epochs planned, shown as "epoch 3/10". */
  epochs?: number;
  /** Clock in milliseconds, for tests (default `performance.now`). */
  now?: () => number;
}

const FORMAT =
  "epoch {epoch}/{epochs} [{bar}] {percentage}% | {value}/{total} | {speed} samples/s | ETA {eta_formatted} | loss {loss}";

/**
 * A per-epoch progress bar (samples/s, ETA, running loss) drawn with
 * cli-progress. It draws only where a person watches: pass `disabled` when the
 * stream is not a TTY.
 *
 * @example
 * ```ts ignore
 * import process from "node:process";
 * const progress = createProgress({ stream: process.stderr, disabled: !process.stderr.isTTY });
 * progress.batch(batchEvent);
 * progress.clear();
 * ```
 */
export function createProgress(options: ProgressOptions): Progress {
  if (options.disabled) return { batch() {}, clear() {} };
  const now = options.now ?? (() => performance.now());
  let bar: cliProgress.SingleBar | undefined;
  let epoch = 0, started = 0, lossSum = 0;
  return {
    batch(e) {
      const total = e.samplesPerEpoch ?? e.samples;
      if (!bar || e.epoch !== epoch) {
        bar?.stop();
        bar = new cliProgress.SingleBar({
          stream: options.stream,
          format: FORMAT,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
          barsize: 24,
        }, cliProgress.Presets.shades_classic);
        bar.start(total, 0, {
          epoch: e.epoch,
          epochs: options.epochs ?? "?",
          speed: "-",
          loss: "-",
        });
        epoch = e.epoch, started = now(), lossSum = 0;
      }
      lossSum += e.loss;
      const seconds = (now() - started) / 1000;
      bar.setTotal(Math.max(total, e.samples));
      bar.update(e.samples, {
        speed: seconds > 0 ? Math.round(e.samples / seconds).toLocaleString("en-US") : "-",
        loss: (lossSum / e.batch).toFixed(4),
      });
    },
    clear() {
      bar?.stop();
      bar = undefined;
    },
  };
}
