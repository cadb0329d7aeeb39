/**
 * Rewrites the kernels' memory import as shared, so that threads can run them
 * over one shared `WebAssembly.Memory`. The build imports an unshared memory,
 * the kind every engine accepts without cross-origin isolation; this changes
 * only that import's limits (shared, maximum 4 GiB) and leaves the code as it
 * is. Internal.
 *
 * @module
 */

import { WASM_MAX_PAGES as MAX_PAGES } from "./memory_limit.ts";

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

function readName(bytes: Uint8Array, at: number): [name: string, next: number] {
  const [length, start] = readLeb(bytes, at);
  return [new TextDecoder().decode(bytes.subarray(start, start + length)), start + length];
}

/**
 * The module bytes with the memory import declared shared. Throws a TypeError
 * when the module imports no memory.
 *
 * @example
 * ```ts ignore
 * new WebAssembly.Module(sharedImport(bytes)); // instantiates over { shared: true } memories only
 * ```
 */
export function sharedImport(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  for (let at = 8; at < bytes.length;) {
    const id = bytes[at];
    const [size, body] = readLeb(bytes, at + 1);
    const end = body + size;
    if (id === 2) {
      let [count, p] = readLeb(bytes, body);
      for (; count > 0; count--) {
        [, p] = readName(bytes, p);
        [, p] = readName(bytes, p);
        const kind = bytes[p++];
        if (kind === 0) [, p] = readLeb(bytes, p); // a function: its type index
        else if (kind === 3) p += 2; // a global: value type and mutability
        else if (kind === 1) { // a table: element type and limits
          const tableFlags = bytes[p + 1];
          [, p] = readLeb(bytes, p + 2);
          if (tableFlags & 1) [, p] = readLeb(bytes, p);
        }
        if (kind !== 2) continue;
        const flags = bytes[p];
        const [min, afterMin] = readLeb(bytes, p + 1);
        const next = flags & 1 ? readLeb(bytes, afterMin)[1] : afterMin;
        const limits = [0x03, ...leb(min), ...leb(MAX_PAGES)];
        const section = [
          ...bytes.subarray(body, p),
          ...limits,
          ...bytes.subarray(next, end),
        ];
        return Uint8Array.from([
          ...bytes.subarray(0, at),
          2,
          ...leb(section.length),
          ...section,
          ...bytes.subarray(end),
        ]);
      }
    }
    at = end;
  }
  throw new TypeError("Invalid wasm module: it imports no memory to share");
}
