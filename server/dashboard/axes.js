// Tick labels people can read: every label on an axis distinct (uPlot's
// default keeps 3 decimals, so 0.0015 and 0.002 both read "0.002"), powers of
// ten alone on a log axis, and whole epochs or steps on the x axis.

/** Tick increments of a whole-number axis (epochs, steps): 1, 2, 5, 10, 20, 50... */
export const INTEGER_INCRS = Array.from({ length: 10 }, (_, e) => [1, 2, 5].map((m) => m * 10 ** e))
  .flat();

function numberText(v, digits, exponent) {
  if (v === 0) return "0";
  if (exponent) {
    const [mantissa, exponent] = v.toExponential(digits - 1).split("e");
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(v.toPrecision(digits)));
}

/**
 * Labels of linear-axis ticks `splits`, with the fewest significant digits
 * that keep them all distinct, e.g. [0.0015, 0.002] -> ["0.0015", "0.002"];
 * in e-notation when the biggest is at least 1e5 or below 1e-3.
 */
export function linearLabels(splits) {
  const biggest = Math.max(0, ...splits.map((v) => Math.abs(v ?? 0)));
  const values = splits.map((v) => (v !== null && Math.abs(v) < biggest * 1e-9 ? 0 : v));
  const exponent = biggest >= 1e5 || (biggest > 0 && biggest < 1e-3); // one notation per axis
  for (let digits = 1; digits <= 12; digits++) {
    const labels = values.map((v) => (v === null ? "" : numberText(v, digits, exponent)));
    if (new Set(labels).size === labels.length) return labels;
  }
  return values.map((v) => String(v));
}

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const superscript = (n) => String(n).replace("-", "⁻").replace(/\d/g, (d) => SUPERSCRIPT[d]);
const powerOfTen = (v) => v > 0 && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;

/**
 * Labels of log10-axis ticks `splits`: `10ⁿ` at powers of ten and nothing
 * between them; when fewer than two powers of ten are in view, every tick
 * gets a distinct plain number instead.
 */
export function logLabels(splits) {
  const powers = splits.filter(powerOfTen).length;
  if (powers < 2) return linearLabels(splits);
  return splits.map((v) => (powerOfTen(v) ? `10${superscript(Math.round(Math.log10(v)))}` : ""));
}

/** Labels of a whole-number axis: the whole numbers among `splits`, blank elsewhere. */
export function integerLabels(splits) {
  return splits.map((v) => (Number.isInteger(v) ? String(v) : ""));
}
