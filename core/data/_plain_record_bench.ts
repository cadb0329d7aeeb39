// The reader's fast lane reads a record of plain whole numbers (pixels, counts) in one walk
// over its bytes; the general path finds the fields first, then parses each. The same rows,
// with the first field quoted so that every record takes the general path, are the baseline.
import { createCsvReader } from "./csv_reader.ts";

const ROWS = 4_000, WIDTH = 785;
const lines = Array.from(
  { length: ROWS },
  (_, r) =>
    Array.from({ length: WIDTH }, (_, i) => ((r * 31 + i * 17) % 7 === 0 ? 0 : (r + i) % 256))
      .join(","),
);
const plain = new TextEncoder().encode(lines.join("\n") + "\n");
const quoted = new TextEncoder().encode(
  lines.map((l) => `"${l.replace(",", '",')}`).join("\n") + "\n",
);
const fields = Int32Array.from({ length: WIDTH }, (_, i) => i);
const out = new Float64Array(WIDTH);

function read(bytes: Uint8Array): number {
  let sum = 0;
  const reader = createCsvReader((r) => {
    r.numbers(fields, out);
    sum += out[WIDTH - 1];
  });
  for (let i = 0; i < bytes.length; i += 1 << 16) reader.push(bytes.subarray(i, i + (1 << 16)));
  reader.end();
  return sum;
}

const group = `${ROWS} rows of ${WIDTH} whole numbers, numbers() of every field`;
const want = read(plain);
Deno.bench("general path (first field quoted)", { group, baseline: true, n: 20, warmup: 3 }, () => {
  if (read(quoted) !== want) throw new Error("the two files read differently");
});
Deno.bench("fast lane (plain records)", { group, n: 20, warmup: 3 }, () => {
  if (read(plain) !== want) throw new Error("expected the same numbers");
});
