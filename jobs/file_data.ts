import type { Sample, StreamSource } from "../core/data/data_source.ts";
import { heldOut, type RowSplit } from "../core/data/csv_table.ts";
import { fromNdjson } from "../core/data/from_ndjson.ts";

/** Opens a file as a byte stream (the CLI passes `(p) => fileStream(Deno.openSync(p))`). */
export type OpenFile = (path: string) => ReadableStream<Uint8Array>;

/** With `sync`, one read in this many waits off the thread (see {@linkcode fileStream}). */
const ASYNC_EVERY = 16;

/** Options of {@linkcode fileStream}. */
export interface FileStreamOptions {
  /** Read with `readSync`, but for one read in 16 (default false: reads wait off this thread). */
  readonly sync?: boolean;
}

/**
 * A file as a byte stream of `chunkBytes` reads (64 KiB), the next read under
 * way while the last chunk is parsed: a file's own `readable` waits for each
 * read, and a 133 MB CSV's fit pass spent about a tenth of its time idle.
 * (Larger reads are no faster here, and their buffers, freed only by a full
 * collection, raised a 400 MB CSV job's peak memory from 129 MB to 419 MB.)
 * The file is closed at its end, on a read error, and when the stream is
 * cancelled. With `sync`, reads block this thread instead: a process that
 * has nothing else to do meanwhile (the CLI) skips a thread hop per read (a
 * few hundredths of a second of a 133 MB CSV's load). Every 16th read waits, so
 * that the event loop turns: without it the buffers of read chunks were
 * freed late, and a 400 MB CSV job's peak memory rose from 190 MB to 296 MB.
 *
 * @example
 * ```ts ignore
 * const data = await loadTableData(dataset, { open: (p) => fileStream(Deno.openSync(p)), split });
 * const cli = fileStream(Deno.openSync(path), 1 << 16, { sync: true });
 * ```
 */
export function fileStream(
  file: Deno.FsFile,
  chunkBytes = 1 << 16,
  options: FileStreamOptions = {},
): ReadableStream<Uint8Array> {
  const sync = options.sync === true;
  let reads = 0;
  let open = true;
  const close = (): void => {
    if (open) open = false, file.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const buffer = new Uint8Array(chunkBytes);
      let read: number | null;
      try {
        read = sync && ++reads % ASYNC_EVERY !== 0
          ? file.readSync(buffer)
          : await file.read(buffer);
      } catch (e) {
        close();
        throw e;
      }
      if (read === null) close(), controller.close();
      else controller.enqueue(buffer.subarray(0, read));
    },
    cancel: close,
  }, { highWaterMark: 2 });
}

/** An NDJSON data set as the trainer reads it. */
export interface FileData {
  readonly source: StreamSource;
  /** The held-out samples, when the config holds some out. */
  readonly validation?: StreamSource;
  /** Features and targets per sample, from the first sample. */
  readonly inputs: number;
  readonly outputs: number;
}

function rows(sample: Sample): [ArrayLike<number>, ArrayLike<number>] {
  return [sample.x, typeof sample.y === "number" ? [sample.y] : sample.y];
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
 * The samples of `source` whose 0-based position is (or, for "train", is
 * not) held out by {@linkcode heldOut}: the same split in every pass, with
 * nothing held in memory.
 *
 * @example
 * ```ts
 * import { splitSource } from "./file_data.ts";
 * import { fromIterable } from "../core/data/from_iterable.ts";
 * const all = fromIterable(() => Array.from({ length: 100 }, (_, i) => ({ x: [i], y: 0 })));
 * const validation = splitSource(all, { fraction: 0.2, seed: 42 }, "validation");
 * ```
 */
export function splitSource(
  source: StreamSource,
  split: RowSplit,
  part: "train" | "validation",
): StreamSource {
  const want = part === "validation";
  return {
    kind: "stream",
    name: source.name,
    async *open(signal) {
      let row = 0;
      for await (const sample of source.open(signal)) {
        if (heldOut(row++, split) === want) yield sample;
      }
    },
  };
}

/**
 * The data source of an `{ ndjson }` data set, streamed from the file each
 * epoch in bounded memory; with a split, the training and validation samples
 * are picked by a seeded hash of their position.
 *
 * @example
 * ```ts ignore
 * const data = await loadFileData({ ndjson: "points.ndjson" }, {
 *   open: (p) => fileStream(Deno.openSync(p)),
 *   split: { fraction: 0.1, seed: 42 },
 * });
 * ```
 */
export async function loadFileData(
  dataset: { ndjson: string; target?: string },
  options: { open: OpenFile; split: RowSplit },
): Promise<FileData> {
  const stream = fromNdjson(
    () => options.open(dataset.ndjson),
    dataset.target ? { y: dataset.target } : {},
  );
  const widths = await peek(stream);
  if (options.split.fraction <= 0) return { source: stream, ...widths };
  return {
    source: splitSource(stream, options.split, "train"),
    validation: splitSource(stream, options.split, "validation"),
    ...widths,
  };
}
