import type { MemorySource } from "./data_source.ts";
import type { BatchBuffer, Pass } from "./_pass.ts";

/** A pass over in-memory rows in the order `order[0..count)`, copied into `buffer`. */
export function memoryPass(
  source: MemorySource,
  order: Uint32Array,
  buffer: BatchBuffer,
  batchSize: number,
): Pass {
  const { inputs, outputs } = source;
  const sx = source.x, sy = source.y, bx = buffer.x.data, by = buffer.t.data;
  const count = order.length;
  let pos = 0;
  return {
    fill() {
      const rows = Math.min(batchSize, count - pos);
      for (let r = 0; r < rows; r++) {
        const i = order[pos + r];
        for (let j = 0, from = i * inputs, to = r * inputs; j < inputs; j++) {
          bx[to + j] = sx[from + j];
        }
        for (let j = 0, from = i * outputs, to = r * outputs; j < outputs; j++) {
          by[to + j] = sy[from + j];
        }
      }
      pos += rows;
      buffer.x.rows = buffer.t.rows = rows;
      return rows;
    },
    get last() {
      return pos >= count;
    },
    close: () => Promise.resolve(),
  };
}
