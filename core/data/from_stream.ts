import type { Sample, StreamSource } from "./data_source.ts";
import { readStream } from "./_read_stream.ts";

/**
 * A source from a web `ReadableStream` of samples. `open` is called once per
 * pass and must return a new stream; the trainer cancels it when it stops
 * early.
 *
 * @example
 * ```ts
 * import { fromStream } from "./from_stream.ts";
 * const source = fromStream(() =>
 *   new ReadableStream({
 *     start(controller) {
 *       controller.enqueue({ x: [0, 1], y: [1] });
 *       controller.close();
 *     },
 *   })
 * );
 * ```
 */
export function fromStream(open: () => ReadableStream<Sample>): StreamSource {
  return { kind: "stream", name: "stream", open: (signal) => readStream(open(), signal) };
}
