import type { DataSource, MemorySource } from "./data_source.ts";
import { type BatchBuffer, createBatchBuffer, type Pass } from "./pass.ts";
import { type MemoryPass, memoryPass } from "./_memory_pass.ts";
import { sampleReader } from "./_sample_reader.ts";
import { streamPass } from "./_stream_pass.ts";
import type { Widths } from "./prepare_step.ts";
import type { Rng } from "../math/rng.ts";

/** One data set as the trainer reads it: its source, widths, rows (in memory) and batch buffer. */
export interface DataPlan {
  readonly source: DataSource;
  readonly widths: Widths;
  readonly buffer: BatchBuffer;
  /** In-memory rows this plan reads, ascending; `order` is their per-pass order. */
  readonly rows?: Uint32Array;
  readonly order?: Uint32Array;
  /** The one pass over in-memory rows, started again for each epoch. */
  readonly memory?: MemoryPass;
}

/** Holds `split` of in-memory rows out for validation, chosen by the seeded stream. */
export function splitRows(
  source: MemorySource,
  split: number,
  rng: Rng,
): [Uint32Array, Uint32Array] {
  const held = Math.round(source.size * split);
  if (!(split > 0 && split < 1) || held < 1 || held >= source.size) {
    throw new RangeError(
      `Invalid validationSplit: ${split} of ${source.size} samples holds out ${held}; use a fraction that leaves at least one sample on each side`,
    );
  }
  const all = rng.shuffle(Uint32Array.from({ length: source.size }, (_, i) => i));
  return [all.slice(0, source.size - held).sort(), all.slice(source.size - held).sort()];
}

async function streamWidths(
  source: DataSource,
  signal: AbortSignal,
  what: string,
): Promise<Widths> {
  if (source.kind === "memory") return { inputs: source.inputs, outputs: source.outputs };
  const reader = sampleReader(source.open(signal));
  try {
    const first = await reader.next();
    if (!first) {
      throw new RangeError(`The ${what} data has no samples: the ${source.name} source gave none`);
    }
    return { inputs: first.x.length, outputs: typeof first.y === "number" ? 1 : first.y.length };
  } finally {
    await reader.close();
  }
}

/** Learns the widths (reading a stream's first sample) and allocates the batch buffer once. */
export async function planData(
  source: DataSource,
  batchSize: number,
  signal: AbortSignal,
  what: string,
  rows?: Uint32Array,
): Promise<DataPlan> {
  const widths = await streamWidths(source, signal, what);
  const buffer = createBatchBuffer(widths, batchSize);
  if (source.kind === "stream") return { source, widths, buffer };
  const own = rows ?? Uint32Array.from({ length: source.size }, (_, i) => i);
  if (own.length === 0) throw new RangeError(`The ${what} data has no samples`);
  const order = new Uint32Array(own.length);
  return {
    source,
    widths,
    buffer,
    rows: own,
    order,
    memory: memoryPass(source, order, buffer, batchSize),
  };
}

/** Samples per pass, when known without reading. */
export const planSize = (plan: DataPlan): number | undefined =>
  plan.rows?.length ?? (plan.source.kind === "stream" ? plan.source.size : undefined);

/**
 * Starts a pass: in-memory rows fully shuffled by `shuffle.rng`, streams
 * through a shuffle buffer of `shuffle.buffer` samples; in order without `shuffle`.
 */
export function openPass(
  plan: DataPlan,
  batchSize: number,
  signal: AbortSignal,
  shuffle?: { rng: Rng; buffer: number },
): Pass {
  const { source } = plan;
  if (source.kind === "memory") {
    const order = plan.order!, rows = plan.rows!;
    if (rows.length > 64) order.set(rows);
    else for (let i = 0; i < rows.length; i++) order[i] = rows[i]; // cheaper than set's call
    // One batch of every row is the same step in any order (only its sums
    // round differently): such a pass is not shuffled.
    if (shuffle && order.length > batchSize) shuffle.rng.shuffle(order);
    return plan.memory!.restart();
  }
  const reader = sampleReader(
    source.open(signal),
    shuffle && { rng: shuffle.rng, size: shuffle.buffer },
  );
  return streamPass(reader, plan.buffer, plan.widths, batchSize);
}
