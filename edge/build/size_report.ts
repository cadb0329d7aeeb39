import type { SizeLimit, Target } from "./targets.ts";

/** A bundle's size against one platform limit. */
export interface LimitCheck extends SizeLimit {
  readonly size: number;
  readonly fits: boolean;
}

/**
 * Gzip-compressed size of `bytes` (default level, like the platforms' upload check).
 *
 * @example
 * ```ts
 * import { gzipSize } from "./size_report.ts";
 * (await gzipSize(new Uint8Array(10_000))) < 100; // true
 * ```
 */
export async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/**
 * Checks raw and gzip sizes against each of a target's limits.
 *
 * @example
 * ```ts
 * import { checkLimits } from "./size_report.ts";
 * import { targets } from "./targets.ts";
 * checkLimits(targets.vercel, 2_500_000, 1_500_000).map((c) => c.fits); // [false, true, true]
 * ```
 */
export function checkLimits(target: Target, raw: number, gzip: number): LimitCheck[] {
  return target.limits.map((limit) => {
    const size = limit.measure === "gzip" ? gzip : raw;
    return { ...limit, size, fits: size <= limit.bytes };
  });
}

/**
 * Formats a byte count in decimal units, as the limits are read.
 *
 * @example
 * ```ts
 * import { formatBytes } from "./size_report.ts";
 * formatBytes(1_234_567); // "1.23 MB"
 * formatBytes(45_678); // "45.7 kB"
 * ```
 */
export function formatBytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

/**
 * Human lines: the bundle's sizes, then each limit with the share used.
 *
 * @example
 * ```ts ignore
 * console.log(formatSizeReport("worker.js", 812_000, 400_000, checks, target.limitsNote).join("\n"));
 * ```
 */
export function formatSizeReport(
  file: string,
  sizes: { raw: number; gzip: number },
  checks: readonly LimitCheck[],
  note: string,
): string[] {
  return [
    `${file}: ${formatBytes(sizes.raw)} minified, ${formatBytes(sizes.gzip)} gzip`,
    ...checks.map((c) => {
      const share = Math.round((100 * c.size) / c.bytes);
      const verdict = c.fits ? "fits" : "TOO LARGE";
      return `  ${c.plan}: limit ${formatBytes(c.bytes)} ${c.measure}, ${verdict} (${share}% used)`;
    }),
    `  limits from ${note}`,
  ];
}
