import type { Sample } from "./data_source.ts";
import type { Widths } from "./prepare_step.ts";
import type { BatchBuffer, Pass } from "./pass.ts";
import type { SampleReader } from "./_sample_reader.ts";

function put(s: Sample, row: number, buffer: BatchBuffer, widths: Widths, n: number): void {
  const { inputs, outputs } = widths;
  const x = s.x, y = s.y;
  if (x.length !== inputs || (typeof y === "number" ? 1 : y.length) !== outputs) {
    const got = `${x.length} features and ${typeof y === "number" ? 1 : y.length} targets`;
    throw new TypeError(
      `Invalid sample ${n}: it has ${got} but the first sample has ${inputs} and ${outputs}; every sample needs the same widths`,
    );
  }
  const bx = buffer.x.data, by = buffer.t.data;
  for (let j = 0, o = row * inputs; j < inputs; j++) bx[o + j] = x[j];
  if (typeof y === "number") by[row] = y;
  else for (let j = 0, o = row * outputs; j < outputs; j++) by[o + j] = y[j];
}

/**
 * A pass over streamed samples into `buffer`. It reads one sample ahead, so
 * it knows a batch is the last before the batch is used.
 */
export function streamPass(
  reader: SampleReader,
  buffer: BatchBuffer,
  widths: Widths,
  batchSize: number,
): Pass {
  let ahead: Sample | undefined, started = false, last = false, n = 0;
  return {
    async fill() {
      if (!started) started = true, (ahead = await reader.next());
      let rows = 0;
      while (ahead !== undefined && rows < batchSize) {
        put(ahead, rows++, buffer, widths, ++n);
        ahead = await reader.next();
      }
      last = ahead === undefined;
      buffer.x.rows = buffer.t.rows = rows;
      return rows;
    },
    get last() {
      return last;
    },
    close: () => reader.close(),
  };
}
