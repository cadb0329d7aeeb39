import type { DataSource, MemorySource, Sample, StreamSource } from "../core/data/data_source.ts";
import { fromCsv } from "../core/data/from_csv.ts";
import { fromNdjson } from "../core/data/from_ndjson.ts";
import { inMemory } from "../core/data/in_memory.ts";
import type { DatasetConfig } from "./run_config.ts";

/** Opens a file as a byte stream (the CLI passes `(p) => Deno.openSync(p).readable`). */
export type OpenFile = (path: string) => ReadableStream<Uint8Array>;

/** A CSV or NDJSON data set as the trainer reads it. */
export interface FileData {
  readonly source: DataSource;
  /** Features and targets per sample, from the first sample. */
  readonly inputs: number;
  readonly outputs: number;
}

function rows(sample: Sample): [ArrayLike<number>, ArrayLike<number>] {
  return [sample.x, typeof sample.y === "number" ? [sample.y] : sample.y];
}

/**
 * Reads every sample of a stream into float32 arrays, so that the trainer can
 * hold some out for validation and shuffle fully.
 *
 * @example
 * ```ts
 * import { collect } from "./file_data.ts";
 * import { fromNdjson } from "../core/data/from_ndjson.ts";
 * const text = '{"x":[0,1],"y":1}\n{"x":[1,1],"y":0}\n';
 * const memory = await collect(fromNdjson(() => new Blob([text]).stream()));
 * memory.size; // 2
 * ```
 */
export async function collect(source: StreamSource): Promise<MemorySource> {
  const xs: number[] = [], ys: number[] = [];
  let inputs = -1, outputs = -1, n = 0;
  for await (const sample of source.open(new AbortController().signal)) {
    const [x, y] = rows(sample);
    if (n === 0) inputs = x.length, outputs = y.length;
    if (x.length !== inputs || y.length !== outputs) {
      throw new RangeError(
        `Invalid ${source.name} data: sample ${
          n + 1
        } has ${x.length} features and ${y.length} targets but the first has ${inputs} and ${outputs}`,
      );
    }
    for (let i = 0; i < x.length; i++) xs.push(x[i]);
    for (let i = 0; i < y.length; i++) ys.push(y[i]);
    n++;
  }
  if (n === 0) throw new RangeError(`Invalid ${source.name} data: the file has no samples`);
  return inMemory({ x: Float32Array.from(xs), y: Float32Array.from(ys), inputs, outputs });
}

async function peek(source: StreamSource): Promise<{ inputs: number; outputs: number }> {
  const controller = new AbortController();
  try {
    for await (const sample of source.open(controller.signal)) {
      const [x, y] = rows(sample);
      return { inputs: x.length, outputs: y.length };
    }
  } finally {
    controller.abort();
  }
  throw new RangeError(`Invalid ${source.name} data: the file has no samples`);
}

/**
 * The data source of a `{ csv, target }` or `{ ndjson }` data set: read into
 * memory when some of it is held out for validation (`inMemory` is true),
 * otherwise streamed from the file each epoch in bounded memory.
 *
 * @example
 * ```ts ignore
 * const data = await loadFileData({ csv: "iris.csv", target: "species" }, {
 *   open: (p) => Deno.openSync(p).readable,
 *   inMemory: true,
 * });
 * ```
 */
export async function loadFileData(
  dataset: Exclude<DatasetConfig, string>,
  options: { open: OpenFile; inMemory: boolean },
): Promise<FileData> {
  const stream = "csv" in dataset
    ? fromCsv(() => options.open(dataset.csv), { target: dataset.target })
    : fromNdjson(() => options.open(dataset.ndjson), dataset.target ? { y: dataset.target } : {});
  if (options.inMemory) {
    const memory = await collect(stream);
    return { source: memory, inputs: memory.inputs, outputs: memory.outputs };
  }
  return { source: stream, ...(await peek(stream)) };
}
