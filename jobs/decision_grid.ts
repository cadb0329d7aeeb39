/**
 * A live decision boundary for networks with two inputs: at epoch ends, the
 * network's outputs over a small grid of the input plane, carried in the
 * epoch event as `boundary` so that the dashboard redraws its heat map as
 * the run trains. The grid spans the data's range in the data's own units:
 * the network sees standardized inputs, the axes undo that.
 *
 * @module
 */
import { identity, map, type OperatorFunction } from "rxjs";
import { standardizeState } from "../core/data/fold_standardize.ts";
import { predict } from "../core/math/predict.ts";
import type { Network } from "../core/math/network.ts";
import type { TrainEvent } from "../core/train/train_events.ts";
import type { Arrays } from "./datasets/dataset.ts";
import { classOf } from "./insights.ts";
import type { Job } from "./run_job.ts";

/** A network's outputs over a `size` x `size` grid of its two inputs. */
export interface DecisionGrid {
  /** Cells per side. */
  readonly size: number;
  /** The first input's range (across), in the data's units. */
  readonly x: readonly [number, number];
  /** The second input's range (up), in the data's units. */
  readonly y: readonly [number, number];
  /** 2: a value is the class-1 probability times 255; more: a value is the predicted class. */
  readonly classes: number;
  /** `size * size` bytes as base64, row by row, the top row (the largest second input) first. */
  readonly values: string;
}

/** Where the grid lies in the network's input space, and how that maps to the data's units. */
export interface GridFrame {
  /** The network-space ranges of the two inputs. */
  readonly low: readonly [number, number];
  readonly high: readonly [number, number];
  /** data = center + scale * network input, per input. */
  readonly center: readonly [number, number];
  readonly scale: readonly [number, number];
}

/**
 * The network's outputs over the `frame`'s plane as a {@linkcode DecisionGrid}.
 *
 * @example
 * ```ts ignore
 * const grid = decisionGrid(network, { low: [0, 0], high: [1, 1], center: [0, 0], scale: [1, 1] });
 * grid.values; // 1,024 bytes as base64
 * ```
 */
export function decisionGrid(network: Network, frame: GridFrame, size = 32): DecisionGrid {
  const data = new Float32Array(size * size * 2);
  const at = (i: number, t: number) => frame.low[i] + t * (frame.high[i] - frame.low[i]);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      data[(row * size + col) * 2] = at(0, (col + 0.5) / size);
      data[(row * size + col) * 2 + 1] = at(1, 1 - (row + 0.5) / size);
    }
  }
  const out = predict(network, { data, rows: size * size, cols: 2 });
  const width = out.cols, classes = Math.max(2, width);
  let text = "";
  for (let r = 0; r < size * size; r++) {
    const value = width <= 2
      ? Math.round(255 * Math.min(1, Math.max(0, out.data[r * width + width - 1])))
      : classOf(out.data, r, width);
    text += String.fromCharCode(value);
  }
  const units = (i: number, v: number) => frame.center[i] + frame.scale[i] * v;
  return {
    size,
    x: [units(0, frame.low[0]), units(0, frame.high[0])],
    y: [units(1, frame.low[1]), units(1, frame.high[1])],
    classes,
    values: btoa(text),
  };
}

/** The smallest and largest value of input `i` in `data`, widened by a quarter of the span. */
function spanOf(data: Arrays, i: number): [number, number] {
  let low = Infinity, high = -Infinity;
  for (let r = 0; r < data.rows; r++) {
    const v = data.x[r * data.inputs + i];
    if (Number.isFinite(v)) low = Math.min(low, v), high = Math.max(high, v);
  }
  if (!(low <= high)) return [-3, 3];
  const pad = (high - low) / 4 || 1;
  return [low - pad, high + pad];
}

/** The scaling the network's inputs went through: a table's, the prepare step's, or the data set's. */
function scalingOf(job: Job, prepared: unknown): { center: number[]; scale: number[] } | undefined {
  const columns = job.table?.table.columns;
  if (columns) {
    return {
      center: columns.map((c) => (c.type === "category" ? 0 : c.center)),
      scale: columns.map((c) => (c.type === "category" ? 1 : c.scale)),
    };
  }
  const state = standardizeState(prepared) ??
    (job.modelMeta().training?.inputStandardization as
      | { mean: number[]; std: number[] }
      | undefined);
  return state && { center: [...state.mean], scale: state.std.map((s) => (s > 1e-12 ? s : 1)) };
}

/**
 * The frame of a job's grid: the test samples' range when it has some, else
 * three standard deviations either side of the mean (the inputs are
 * standardized), in the data's units through the job's scaling.
 */
export function gridFrame(job: Job, prepared: unknown): GridFrame {
  const scaling = scalingOf(job, prepared);
  const test = job.testData;
  const [x, y] = test ? [spanOf(test, 0), spanOf(test, 1)] : [[-3, 3], [-3, 3]];
  return {
    low: [x[0], y[0]],
    high: [x[1], y[1]],
    center: [scaling?.center[0] ?? 0, scaling?.center[1] ?? 0],
    scale: [scaling?.scale[0] ?? 1, scaling?.scale[1] ?? 1],
  };
}

/**
 * Adds a {@linkcode DecisionGrid} as `boundary` to the epoch events of a job
 * whose network has two inputs: to every epoch of a run of up to 60 epochs,
 * else to about 60 evenly spaced ones and the last, so that a run's events
 * stay small. Other jobs' events pass unchanged.
 *
 * @example
 * ```ts ignore
 * job.events$.pipe(withDecisionGrids(job)).subscribe((e) => {
 *   if (e.type === "epoch") console.log((e as { boundary?: DecisionGrid }).boundary?.values);
 * });
 * ```
 */
export function withDecisionGrids(job: Job): OperatorFunction<TrainEvent, TrainEvent> {
  if (job.network.inputs !== 2) return identity;
  let frame: GridFrame | undefined, prepared: unknown;
  return map((event) => {
    if (event.type === "start") prepared = event.prepared;
    if (event.type !== "epoch") return event;
    const every = Math.ceil(event.epochs / 60);
    if (event.epoch % every !== 0 && event.epoch !== event.epochs) return event;
    frame ??= gridFrame(job, prepared);
    return { ...event, boundary: decisionGrid(job.network, frame) };
  });
}
