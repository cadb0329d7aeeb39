/**
 * The seeded random number generator behind every random choice in nagare
 * (weight init, shuffling, dropout): xoshiro128** seeded through splitmix32.
 * Its whole state is four 32-bit words, so checkpoints can save and restore it.
 *
 * @module
 */

/** Saved state of an {@linkcode Rng}: four unsigned 32-bit words. */
export type RngState = readonly [number, number, number, number];

/** A seeded generator. Same seed, same sequence, on every run and runtime. */
export interface Rng {
  /** Next unsigned 32-bit integer. */
  nextU32(): number;
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  float(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal sample (Box-Muller; uses two uniforms per sample, no cached spare). */
  normal(): number;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T;
  /** A copy of the current state. */
  state(): RngState;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a generator from an integer seed or a saved state.
 *
 * @example
 * ```ts
 * import { createRng } from "./rng.ts";
 * const a = createRng(42), b = createRng(42);
 * a.float() === b.float(); // true
 * const resumed = createRng(a.state()); // continues where `a` is
 * ```
 */
export function createRng(seed: number | RngState): Rng {
  // The state lives in an Int32Array: as closure variables, words outside
  // V8's small-integer range would be boxed (allocated) on every draw.
  const s = new Int32Array(4);
  if (typeof seed === "number") {
    if (!Number.isFinite(seed)) {
      throw new RangeError(`Invalid seed: ${seed} is not a finite number`);
    }
    const mix = splitmix32(Math.trunc(seed) ^ Math.trunc(seed / 0x100000000));
    for (let i = 0; i < 4; i++) s[i] = mix();
  } else {
    for (let i = 0; i < 4; i++) s[i] = seed[i];
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the all-zero state never leaves zero
  const nextU32 = (): number => {
    const s0 = s[0], s1 = s[1];
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const s2 = s[2] ^ s0, s3 = s[3] ^ s1;
    s[1] = s1 ^ s2;
    s[0] = s0 ^ s3;
    s[2] = s2 ^ t;
    s[3] = rotl(s3, 11);
    return result;
  };
  const float = (): number => nextU32() / 0x100000000;
  const rng: Rng = {
    nextU32,
    float,
    int: (n) => Math.floor(float() * n),
    normal() {
      const u = 1 - float(); // (0, 1]: log stays finite
      const v = float();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(float() * (i + 1));
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      return items;
    },
    state: () => [s[0] >>> 0, s[1] >>> 0, s[2] >>> 0, s[3] >>> 0],
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
