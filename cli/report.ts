import type { EpochEvent, TrainEvent } from "../core/train/train_events.ts";
import type { Evaluation } from "../jobs/evaluate.ts";
import type { TableReport } from "../core/data/table_fit.ts";
import type { ResolvedRunConfig } from "../jobs/run_config.ts";

export type { Evaluation };

/** Receives everything the CLI has to say, and writes it as text or JSON lines. */
export interface Reporter {
  /** A trainer event: per-epoch lines (text) or one JSON line per event except batches (JSON). */
  event(event: TrainEvent): void;
  /** The test-set result at the end. */
  test(result: Evaluation): void;
  /** The model file was written. */
  saved(path: string, wallMs: number): void;
  /** A line for people (stdout in text mode, stderr in JSON mode). */
  info(line: string): void;
  /** What a csv data set's table holds and what was chosen: a JSON line in JSON mode, nothing in text mode. */
  table(summary: Readonly<Record<string, unknown>>): void;
}

/** Options of {@linkcode createReporter}. */
export interface ReporterOptions {
  /** One JSON object per line on `out`, people's lines on `err`. */
  json?: boolean;
  /** Skip per-epoch lines (results are still printed). */
  quiet?: boolean;
  /** Writes one line to stdout. */
  out: (line: string) => void;
  /** Writes one line to stderr. */
  err: (line: string) => void;
}

const pct = (x: number | undefined): string => (x === undefined ? "-" : `${(x * 100).toFixed(2)}%`);
const num = (x: number | undefined): string =>
  x === undefined ? "-" : x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4);
// Thousands separated by commas, as toLocaleString("en-US") does, without its ICU start-up (~8 ms).
const int = (x: number): string => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * One line per epoch: epoch, loss, val loss, accuracy, val accuracy, lr,
 * samples/s and the epoch's time (`sinceMs` is the previous epoch's elapsedMs).
 *
 * @example
 * ```ts
 * import { formatEpoch } from "./report.ts";
 * formatEpoch({ type: "epoch", epoch: 1, epochs: 2, loss: 0.5, lr: 0.001, samplesPerSec: 1000, elapsedMs: 1500, layers: [] }, 0);
 * // "epoch 1/2  loss 0.5000  val_loss -  acc -  val_acc -  lr 0.001  1,000 samples/s  1.5s"
 * ```
 */
export function formatEpoch(e: EpochEvent, sinceMs: number): string {
  const width = String(e.epochs).length;
  return [
    `epoch ${String(e.epoch).padStart(width)}/${e.epochs}`,
    `loss ${num(e.loss)}`,
    `val_loss ${num(e.valLoss)}`,
    `acc ${pct(e.accuracy)}`,
    `val_acc ${pct(e.valAccuracy)}`,
    `lr ${Number(e.lr.toPrecision(3))}`,
    `${int(e.samplesPerSec)} samples/s`,
    `${((e.elapsedMs - sinceMs) / 1000).toFixed(1)}s`,
  ].join("  ");
}

/**
 * Builds the reporter the CLI writes through. Text mode prints the epoch
 * lines and a closing summary; JSON mode prints only JSON lines on `out`:
 * a csv data set's `{ "type": "table", ... }` (rows, columns, missing
 * cells, class names, the chosen model), the trainer's start, epoch and end
 * events, then `{ "type": "test", ... }` and `{ "type": "saved", ... }`.
 *
 * @example
 * ```ts
 * import { createReporter } from "./report.ts";
 * const lines: string[] = [];
 * const r = createReporter({ json: true, out: (l) => lines.push(l), err: () => {} });
 * r.saved("model.json", 1200);
 * lines; // ['{"type":"saved","path":"model.json","wallMs":1200}']
 * ```
 */
export function createReporter(options: ReporterOptions): Reporter {
  const { out, err } = options;
  let lastElapsed = 0;
  if (options.json) {
    return {
      event(e) {
        if (e.type !== "batch") out(JSON.stringify(e));
      },
      test: (r) => out(JSON.stringify({ type: "test", ...r })),
      saved: (path, wallMs) => out(JSON.stringify({ type: "saved", path, wallMs })),
      info: err,
      table: (summary) => out(JSON.stringify({ type: "table", ...summary })),
    };
  }
  return {
    event(e) {
      if (e.type === "epoch") {
        if (!options.quiet) out(formatEpoch(e, lastElapsed));
        lastElapsed = e.elapsedMs;
      } else if (e.type === "end" && e.reason === "early-stopped") {
        out(
          `stopped early after epoch ${e.epochs}; keeping the weights of epoch ${
            e.bestEpoch ?? e.epochs
          }`,
        );
      }
    },
    test(r) {
      const acc = r.accuracy === undefined ? "" : `test accuracy ${pct(r.accuracy)}, `;
      out(`${acc}test loss ${num(r.loss)} (${int(r.samples)} samples)`);
    },
    saved: (path, wallMs) => out(`wrote ${path} (${(wallMs / 1000).toFixed(1)}s in all)`),
    info: out,
    table: () => {}, // formatTable's lines tell people the same
  };
}

/** What {@linkcode formatSummary} describes. */
export interface SummaryInput {
  readonly config: ResolvedRunConfig;
  readonly inputs: number;
  readonly samples: { train?: number; validation?: number; test?: number };
  readonly loadMs: number;
  readonly backend: string;
  /** Threads per step (omitted or 1: no mention). */
  readonly workers?: number;
}

/**
 * The opening line: data, sample counts, network shape, loss, optimizer and
 * settings.
 *
 * @example
 * ```ts ignore
 * formatSummary({ config, inputs: 784, samples: { train: 7204, validation: 800, test: 1996 }, loadMs: 310, backend: "wasm-simd" });
 * // "mnist: 7,204 train, 800 validation, 1,996 test samples (loaded in 0.31s)\nnetwork 784-128-64-10 ..."
 * ```
 */
export function formatSummary(s: SummaryInput): string {
  const c = s.config, d = c.dataset;
  const name = typeof d === "string" ? d : "csv" in d ? d.csv : d.ndjson;
  const counts = [
    s.samples.train === undefined ? "streamed" : `${int(s.samples.train)} train`,
    ...(s.samples.validation ? [`${int(s.samples.validation)} validation`] : []),
    ...(s.samples.test ? [`${int(s.samples.test)} test`] : []),
  ];
  const shape = [s.inputs, ...c.layers.map((l) => l.units)].join("-");
  const acts = c.layers.map((l) =>
    typeof l.activation === "object" ? l.activation.name : l.activation ?? "identity"
  );
  const loss = typeof c.loss === "string" ? c.loss : c.loss.name;
  return `${name}: ${counts.join(", ")} samples (loaded in ${(s.loadMs / 1000).toFixed(2)}s)\n` +
    `network ${shape} (${
      acts.join(", ")
    }), ${loss}, ${c.optimizer.name} lr ${c.lr}, batch ${c.batchSize}, ` +
    `${c.epochs} epochs, seed ${c.seed}, ${s.backend} kernels` +
    (s.workers && s.workers > 1 ? ` on ${s.workers} threads` : "");
}

/** Each column's type and why; past 12 columns, runs of one type and reason are told once. */
function describeColumns(columns: TableReport["columns"]): string {
  if (columns.length <= 12) return columns.map((c) => `${c.name} ${c.type} (${c.why})`).join(", ");
  const runs: string[] = [];
  for (let i = 0; i < columns.length;) {
    let j = i;
    while (
      j + 1 < columns.length && columns[j + 1].type === columns[i].type &&
      columns[j + 1].why === columns[i].why
    ) j++;
    const c = columns[i];
    runs.push(
      j === i
        ? `${c.name} ${c.type} (${c.why})`
        : `${c.name}..${columns[j].name}: ${j - i + 1} ${c.type} (${c.why})`,
    );
    i = j + 1;
  }
  return runs.join(", ");
}

/** What {@linkcode formatTable} reads: a csv data set's table report and the chosen model. */
export interface TableSummaryInput {
  readonly table: {
    readonly report: TableReport;
    readonly rows: { readonly train: number; readonly validation: number };
  };
  readonly chosen?: string;
  readonly config: ResolvedRunConfig;
}

/**
 * Lines for people about a csv data set: each column's type and why, the
 * missing cells and what was done with them, and the model chosen from the
 * target when the config named none.
 *
 * @example
 * ```ts ignore
 * formatTable(job).forEach((line) => console.log(line));
 * // columns: sepal_length number (numbers), ..., species target (3 classes)
 * ```
 */
export function formatTable(s: TableSummaryInput): string[] {
  const { report, rows } = s.table;
  const lines = [
    `rows: ${int(rows.train)} train, ${
      int(rows.validation)
    } validation (held out by a seeded hash of the row number)`,
    `columns: ${describeColumns(report.columns)}`,
  ];
  const missing = Object.entries(report.missing);
  if (missing.length) {
    const how = s.config.missing === "error"
      ? "refused"
      : "imputed: numbers with the mean, categories as their own value";
    lines.push(
      `missing cells: ${missing.map(([name, n]) => `${name} ${int(n)}`).join(", ")} (${how})`,
    );
  }
  if (s.chosen) {
    const c = s.config, stop = c.earlyStopping;
    lines.push(
      `model chosen from the target: ${s.chosen}; ${c.optimizer.name} lr ${c.lr}, batch ${c.batchSize}, ` +
        (stop
          ? `up to ${c.epochs} epochs, early stopping after ${stop.patience} without improvement`
          : `${c.epochs} epochs`),
    );
  }
  return lines;
}
