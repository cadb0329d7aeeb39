// Subscribes to a run, feeding the progress bar and the reporter, and stops it on Ctrl-C or SIGTERM.
import type { Observable } from "rxjs";
import type { TrainEvent } from "../core/train/train_events.ts";
import type { Progress } from "./progress.ts";
import type { Reporter } from "./report.ts";
import { onStopSignal, type StopSignal } from "./_signals.ts";

/** How a run ended. */
export type WatchResult =
  | { status: "completed"; epoch: number }
  | { status: "interrupted"; epoch: number; signal: StopSignal }
  | { status: "failed"; error: Error };

/**
 * Runs `events$` to its end. Ctrl-C (SIGINT) or SIGTERM unsubscribes, which
 * stops the trainer before its next step; nothing is written after that.
 */
export function watch(
  events$: Observable<TrainEvent>,
  sinks: { progress: Progress; reporter: Reporter },
): Promise<WatchResult> {
  const { progress, reporter } = sinks;
  let epoch = 1;
  return new Promise<WatchResult>((resolve) => {
    const finish = (result: WatchResult): void => {
      offSignals();
      progress.clear();
      resolve(result);
    };
    const offSignals = onStopSignal((signal) => {
      subscription.unsubscribe();
      finish({ status: "interrupted", epoch, signal });
    });
    const subscription = events$.subscribe({
      next(e) {
        if (e.type === "batch") return progress.batch(e), void (epoch = e.epoch);
        progress.clear();
        if (e.type === "start") epoch = e.fromEpoch;
        if (e.type === "epoch") epoch = Math.min(e.epoch + 1, e.epochs);
        reporter.event(e);
      },
      error: (error) => finish({ status: "failed", error: error as Error }),
      complete: () => finish({ status: "completed", epoch }),
    });
  });
}
