/** Throws a RangeError unless `value` is a finite number in [min, max] (or (min, max] with `open`). */
export function checkParam(
  where: string,
  key: string,
  value: number,
  range: { min: number; max?: number; open?: boolean },
): void {
  const { min, max = Infinity, open = false } = range;
  const ok = Number.isFinite(value) && (open ? value > min : value >= min) && value <= max;
  if (!ok) {
    const bound = `${open ? "above" : "at least"} ${min}${
      max < Infinity ? ` and at most ${max}` : ""
    }`;
    throw new RangeError(`Invalid ${where} ${key}: ${value} must be ${bound}`);
  }
}
