// A CSV made on the fly as it is read, for memory tests: it never exists whole.

/** Features per row of {@linkcode generatedCsv}; the target is their mean. */
export const CSV_FEATURES = 8;

/** Opens a new stream of a seeded CSV of about `bytes` bytes, 1,000 rows per chunk. */
export function generatedCsv(bytes: number): () => ReadableStream<Uint8Array> {
  return () => {
    let sent = 0, seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const encoder = new TextEncoder();
    const names = Array.from({ length: CSV_FEATURES }, (_, j) => `f${j}`);
    return new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(encoder.encode([...names, "target"].join(",") + "\n")),
      pull(c) {
        if (sent >= bytes) return c.close();
        let text = "";
        for (let i = 0; i < 1000; i++) {
          let sum = 0;
          for (let j = 0; j < CSV_FEATURES; j++) {
            const v = rand();
            sum += v;
            text += v.toFixed(6) + ",";
          }
          text += (sum / CSV_FEATURES).toFixed(6) + "\n";
        }
        const chunk = encoder.encode(text);
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
  };
}
