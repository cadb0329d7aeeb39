/**
 * Reads a web stream as an async iterable that cancels the stream when the
 * reader stops early or `signal` aborts, so files and sockets are released.
 */
export async function* readStream<T>(
  stream: ReadableStream<T>,
  signal?: AbortSignal,
): AsyncGenerator<T, void, undefined> {
  const reader = stream.getReader();
  let finished = false;
  const cancel = (): void => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    while (!signal?.aborted) {
      const { value, done } = await reader.read();
      if (done) break;
      yield value;
    }
    finished = !signal?.aborted;
  } finally {
    signal?.removeEventListener("abort", cancel);
    if (finished) reader.releaseLock();
    else await reader.cancel().catch(() => {});
  }
}
