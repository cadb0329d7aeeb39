/**
 * Strict decimal numbers read straight from bytes, as the CSV reader reads
 * its cells: `12`, `-0.5`, `.5`, `1e-3`, spaces around them; NaN for hex,
 * `_`, words, several numbers, and values beyond float64's range.
 *
 * @module
 */

const SPACE = 0x20, TAB = 0x09;
const ascii = new TextDecoder();
/** Exact powers of ten: a mantissa of up to 15 digits times one of these rounds once, as `Number()` does. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * Parses `bytes[from..to)` as a strict decimal number; NaN when it is not one.
 *
 * @example
 * ```ts
 * import { parseNumber } from "./parse_number.ts";
 * const bytes = new TextEncoder().encode("12,-0.5,0x1F");
 * parseNumber(bytes, 0, 2); // 12
 * parseNumber(bytes, 3, 7); // -0.5
 * parseNumber(bytes, 8, 12); // NaN
 * ```
 */
export function parseNumber(bytes: Uint8Array, from: number, to: number): number {
  // Most cells are short whole numbers: read their digits and be done.
  if (to > from && to - from <= 15) {
    let value = 0, i = from;
    for (; i < to; i++) {
      const d = bytes[i] - 0x30;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
    }
    if (i === to) return value;
  }
  return parseDecimal(bytes, from, to);
}

function parseDecimal(bytes: Uint8Array, from: number, to: number): number {
  while (from < to && (bytes[from] === SPACE || bytes[from] === TAB)) from++;
  while (to > from && (bytes[to - 1] === SPACE || bytes[to - 1] === TAB)) to--;
  let i = from, negative = false;
  if (i < to && (bytes[i] === 0x2d || bytes[i] === 0x2b)) negative = bytes[i++] === 0x2d;
  const unsigned = i;
  let mantissa = 0, digits = 0, significant = 0, scale = 0;
  for (; i < to; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) break;
    digits++;
    if (significant > 0 || d > 0) significant++;
    mantissa = mantissa * 10 + d;
  }
  if (i < to && bytes[i] === 0x2e) {
    for (i++; i < to; i++) {
      const d = bytes[i] - 0x30;
      if (d < 0 || d > 9) break;
      digits++;
      if (significant > 0 || d > 0) significant++;
      mantissa = mantissa * 10 + d;
      scale--;
    }
  }
  if (digits === 0) return NaN;
  if (i < to && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    let e = 0, eNegative = false, eDigits = 0;
    if (++i < to && (bytes[i] === 0x2d || bytes[i] === 0x2b)) eNegative = bytes[i++] === 0x2d;
    for (; i < to; i++) {
      const d = bytes[i] - 0x30;
      if (d < 0 || d > 9) break;
      if (e < 100_000) e = e * 10 + d;
      eDigits++;
    }
    if (eDigits === 0) return NaN;
    scale += eNegative ? -e : e;
  }
  if (i !== to) return NaN;
  let value: number;
  if (significant <= 15 && scale >= -22 && scale <= 22) {
    value = scale < 0 ? mantissa / POW10[-scale] : mantissa * POW10[scale];
  } else {
    // Rare (long mantissas, large exponents): let the engine round the validated ASCII text.
    value = Number(ascii.decode(bytes.subarray(unsigned, to)));
  }
  if (!Number.isFinite(value)) return NaN;
  return negative ? -value : value;
}
