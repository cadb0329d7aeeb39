// node:util parseArgs takes `--lr -1` for a flag followed by the short option
// "-1" and refuses it as ambiguous; a negative number after a flag is meant as
// its value, and the value's own check then says what is wrong with it.

const NEGATIVE_NUMBER = /^-(\d|\.\d|Infinity$)/;

/**
 * Rewrites `--flag -3` as `--flag=-3` for every long flag (without `=`)
 * followed by a negative number, so that parseArgs reads it as the value.
 *
 * @example
 * ```ts
 * import { joinNegativeValues } from "./_negative_values.ts";
 * joinNegativeValues(["--lr", "-1", "--epochs", "3"]); // ["--lr=-1", "--epochs", "3"]
 * ```
 */
export function joinNegativeValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i], next = args[i + 1];
    const flag = arg.startsWith("--") && arg.length > 2 && !arg.includes("=");
    if (flag && next !== undefined && NEGATIVE_NUMBER.test(next)) out.push(`${arg}=${next}`), i++;
    else if (arg === "--") return out.concat(args.slice(i));
    else out.push(arg);
  }
  return out;
}
