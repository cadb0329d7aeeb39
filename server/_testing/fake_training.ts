// Fake trainings for the server's tests: no network, no data, just events.
import { Observable, Subject } from "rxjs";
import type {
  BatchEvent,
  EpochEvent,
  StartEvent,
  TrainEvent,
} from "../../core/train/train_events.ts";
import type { ModelFile } from "../../core/model/model_file.ts";
import type { Launch } from "../run_store.ts";
import type { Training } from "../run_tracker.ts";

export function startEvent(epochs = 3): StartEvent {
  return { type: "start", epochs, fromEpoch: 1, samples: 4, batchSize: 2 };
}

export function batchEvent(epoch: number, batch: number, loss = 0.5): BatchEvent {
  return { type: "batch", epoch, batch, step: batch, loss, samples: batch * 2, lr: 0.1 };
}

export function epochEvent(epoch: number, epochs = 3): EpochEvent {
  return {
    type: "epoch",
    epoch,
    epochs,
    loss: 1 / epoch,
    valLoss: 1.1 / epoch,
    accuracy: 0.5 + epoch / (2 * epochs),
    lr: 0.1,
    samplesPerSec: 1000,
    elapsedMs: epoch * 10,
    layers: [
      { gradNorm: 1e-4 / epoch, weightNorm: 1, updateRatio: 1e-3 },
      { gradNorm: 1e-1 / epoch, weightNorm: 2, updateRatio: 1e-3 },
    ],
  };
}

export const FAKE_MODEL = { format: "nagare-model", fake: true } as unknown as ModelFile;

/** A training driven by hand. */
export interface ManualTraining {
  training: Training;
  emit(event: TrainEvent): void;
  complete(): void;
  fail(error: Error): void;
  /** Subscriptions to the trainer now: 0 once a run stopped it. */
  readonly subscribers: number;
}

/** A training driven by hand: `emit` events, then `complete` or `fail`. */
export function manualTraining(): ManualTraining {
  const subject = new Subject<TrainEvent>();
  let subscribers = 0;
  const training: Training = {
    events$: new Observable<TrainEvent>((s) => {
      subscribers++;
      const sub = subject.subscribe(s);
      return () => {
        subscribers--;
        sub.unsubscribe();
      };
    }),
    result: () => ({ model: FAKE_MODEL, test: { loss: 0.01, accuracy: 1 } }),
  };
  return {
    training,
    emit: (e: TrainEvent) => subject.next(e),
    complete: () => subject.complete(),
    fail: (e: Error) => subject.error(e),
    get subscribers() {
      return subscribers;
    },
  };
}

/**
 * A training that emits `epochs` epochs of `batches` batches, yielding to the
 * event loop between batches the way the real trainer does.
 */
export function timedTraining(epochs: number, batches = 2, delayMs = 0): Training {
  return {
    events$: new Observable<TrainEvent>((s) => {
      const events: TrainEvent[] = [startEvent(epochs)];
      for (let e = 1; e <= epochs; e++) {
        for (let b = 1; b <= batches; b++) events.push(batchEvent(e, b));
        events.push(epochEvent(e, epochs));
      }
      events.push({
        type: "end",
        reason: "completed",
        epochs,
        steps: epochs * batches,
        elapsedMs: 1,
      });
      let i = 0;
      let timer: ReturnType<typeof setTimeout>;
      const step = () => {
        if (i < events.length) {
          s.next(events[i++]);
          timer = setTimeout(step, delayMs);
        } else s.complete();
      };
      timer = setTimeout(step, delayMs);
      return () => clearTimeout(timer);
    }),
    result: () => ({ model: FAKE_MODEL, test: { accuracy: 1 } }),
  };
}

/** A launch that hands out `timedTraining`s, counting its calls. */
export function fakeLaunch(epochs = 3, delayMs = 0): Launch & { calls: number } {
  const launch = Object.assign(() => {
    launch.calls++;
    return timedTraining(epochs, 2, delayMs);
  }, { calls: 0 });
  return launch;
}
