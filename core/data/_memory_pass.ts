import type { MemorySource } from "./data_source.ts";
import type { BatchBuffer, Pass } from "./pass.ts";

/** A {@linkcode Pass} over in-memory rows that can start again, so that a run builds it once. */
export interface MemoryPass extends Pass {
  /** Starts over at the first row of `order` (whose content may have changed). */
  restart(): MemoryPass;
}

/** Wide rows copy faster as one block each (memcpy); narrow ones in a loop, without the view. */
function copyRow(from: Float32Array, to: Float32Array, width: number, i: number, r: number): void {
  if (width >= 32) to.set(from.subarray(i * width, (i + 1) * width), r * width);
  else for (let j = 0, a = i * width, b = r * width; j < width; j++) to[b + j] = from[a + j];
}

/** A pass over in-memory rows in the order `order[0..count)`, copied into `buffer`. */
export function memoryPass(
  source: MemorySource,
  order: Uint32Array,
  buffer: BatchBuffer,
  batchSize: number,
): MemoryPass {
  const { inputs, outputs } = source;
  const sx = source.x, sy = source.y, bx = buffer.x.data, by = buffer.t.data;
  const encodeRows = source.encodeRows, into = { x: bx, t: by };
  const count = order.length;
  let pos = 0;
  const pass: MemoryPass = {
    fill() {
      const rows = Math.min(batchSize, count - pos);
      if (encodeRows) encodeRows(order.subarray(pos, pos + rows), into);
      else {
        for (let r = 0; r < rows; r++) {
          const i = order[pos + r];
          copyRow(sx, bx, inputs, i, r);
          copyRow(sy, by, outputs, i, r);
        }
      }
      pos += rows;
      buffer.x.rows = buffer.t.rows = rows;
      return rows;
    },
    get last() {
      return pos >= count;
    },
    close: () => undefined,
    restart() {
      pos = 0;
      return pass;
    },
  };
  return pass;
}
