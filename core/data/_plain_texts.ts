/**
 * The texts of the plain whole numbers (0..1023) a column's first rows hold,
 * kept as numbers until a fit reads them: most such columns turn out
 * numeric and need no texts at all, and making one per distinct value took
 * a third of sniffing a 784-column file's first 1,000 rows.
 *
 * @module
 */

/** Plain whole numbers noted per column, in first-seen order, their texts made when read. */
export interface PlainTexts {
  /** Notes `x`, a whole number 0..1023, in column `field` (once: again adds nothing). */
  add(field: number, x: number): void;
  /**
   * Adds the column's noted numbers to `texts` as text, in the order first
   * seen, each that is new while `texts` has at most `cap` entries; returns
   * `texts`.
   */
  flush(field: number, texts: Map<string, number>, cap: number): Map<string, number>;
  /** Forgets a column's noted numbers (it needs no texts). */
  drop(field: number): void;
}

/**
 * Starts the notes of a file of `columns` columns (its 1,024 flags per column are made at
 * the first note).
 *
 * @example
 * ```ts
 * import { plainTexts } from "./_plain_texts.ts";
 * const notes = plainTexts(2);
 * notes.add(1, 7), notes.add(1, 3), notes.add(1, 7);
 * [...notes.flush(1, new Map([["x", 0]]), 10).keys()]; // ["x", "7", "3"]
 * ```
 */
export function plainTexts(columns: number): PlainTexts {
  let seen = new Uint8Array(0);
  const pending = Array.from({ length: columns }, (): number[] => []);
  return {
    add(field, x) {
      if (seen.length === 0) seen = new Uint8Array(columns * 1024);
      if (seen[field * 1024 + x] === 1) return;
      seen[field * 1024 + x] = 1, pending[field].push(x);
    },
    flush(field, texts, cap) {
      for (const x of pending[field]) {
        const text = String(x);
        if (texts.size <= cap && !texts.has(text)) texts.set(text, texts.size);
      }
      pending[field] = [];
      return texts;
    },
    drop(field) {
      pending[field] = [];
    },
  };
}
