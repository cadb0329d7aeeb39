import type { MemorySource } from "./data_source.ts";

/** Options of {@linkcode inMemory}: row-major features and targets. */
export interface InMemoryOptions {
  /** Features, `samples * inputs` long. */
  x: Float32Array;
  /** Targets, `samples * outputs` long (one class label per row before `oneHot`). */
  y: Float32Array;
  /** Features per sample: the row width of `x`, a whole number of at least 1. */
  inputs: number;
  /** Targets per sample: the row width of `y` (1 for class labels), a whole number of at least 1. */
  outputs: number;
}

/**
 * Wraps row-major float32 arrays as a data source. The arrays are used as
 * they are (not copied) and never written.
 *
 * @example
 * ```ts
 * import { inMemory } from "./in_memory.ts";
 * const xor = inMemory({
 *   x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]),
 *   y: new Float32Array([0, 1, 1, 0]),
 *   inputs: 2,
 *   outputs: 1,
 * });
 * xor.size; // 4
 * ```
 */
export function inMemory(options: InMemoryOptions): MemorySource {
  const { x, y, inputs, outputs } = options;
  for (const [key, value] of [["inputs", inputs], ["outputs", outputs]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Invalid ${key}: ${value} must be a whole number of at least 1`);
    }
  }
  if (x.length % inputs !== 0) {
    throw new RangeError(
      `Invalid x: ${x.length} values is not a whole number of rows of ${inputs} inputs`,
    );
  }
  const size = x.length / inputs;
  if (y.length !== size * outputs) {
    throw new RangeError(
      `Invalid y: ${y.length} values but ${size} rows of ${outputs} outputs need ${size * outputs}`,
    );
  }
  return { kind: "memory", x, y, inputs, outputs, size };
}
