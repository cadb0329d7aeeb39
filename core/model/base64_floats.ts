import type { Floats } from "../math/types.ts";

/**
 * Encodes floats as base64 of little-endian float32: compact, exact for
 * float32 weights, and the same bytes on every machine.
 *
 * @example
 * ```ts
 * import { decodeFloats, encodeFloats } from "./base64_floats.ts";
 * const text = encodeFloats(new Float32Array([1.5, -2]));
 * decodeFloats(text); // Float32Array [1.5, -2]
 * ```
 */
export function encodeFloats(values: Floats): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  let binary = "";
  const CHUNK = 0x8000; // String.fromCharCode takes a bounded number of arguments
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Decodes {@linkcode encodeFloats}' text; throws a TypeError on text that is not base64 of whole floats. */
export function decodeFloats(text: string): Float32Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new TypeError("Invalid base64: the weights text is corrupted; re-export the model");
  }
  if (binary.length % 4 !== 0) {
    throw new TypeError(
      `Invalid weights: ${binary.length} bytes is not a whole number of float32 values`,
    );
  }
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const out = new Float32Array(binary.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
