/**
 * The markdown of `peers.ts`: machine line, one table row per comparison
 * (nagare, the peer, nagare/peer), and the targets checked. Pure.
 *
 * @module
 */

/** One compared measure. */
export interface PeerRow {
  readonly workload: string;
  readonly measure: string;
  readonly nagare: { readonly setup: string; readonly value: number };
  readonly peer: { readonly setup: string; readonly value: number };
  /** Decimals to print the values with (default 0, with thousands separators). */
  readonly digits?: number;
}

/** A goal on a row's ratio nagare/peer (or difference, for `within`). */
export interface BenchTarget {
  readonly label: string;
  readonly row: PeerRow;
  /** Met when the ratio is at least this... */
  readonly atLeast?: number;
  /** ...or when |nagare - peer| is at most this... */
  readonly within?: number;
  /** ...or when nagare's own value is below this. */
  readonly below?: number;
}

/** Where and when the numbers were measured. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly deno: string;
  readonly v8: string;
  readonly date: string;
  readonly mode: string;
}

const fmt = (x: number, digits = 0): string =>
  Number.isFinite(x)
    ? x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "-";

/** nagare / peer, or NaN when the peer is 0. */
export const ratioOf = (row: PeerRow): number =>
  row.peer.value ? row.nagare.value / row.peer.value : NaN;

function met(t: BenchTarget): boolean {
  const { nagare, peer } = t.row;
  if (t.within !== undefined) return Math.abs(nagare.value - peer.value) <= t.within;
  if (t.below !== undefined) return nagare.value < t.below;
  return ratioOf(t.row) >= (t.atLeast ?? -Infinity);
}

/**
 * The report as markdown.
 *
 * @example
 * ```ts
 * import { peerReport } from "./_report.ts";
 * const row = { workload: "W3", measure: "GFLOPS", nagare: { setup: "wasm", value: 35 }, peer: { setup: "tfjs", value: 30 }, digits: 1 };
 * const md = peerReport({ cpu: "x", cores: 2, deno: "2.9.6", v8: "14", date: "2025-01-01", mode: "quick" }, [row], []);
 * md.includes("| 35.0 |"); // true
 * ```
 */
export function peerReport(
  machine: Machine,
  rows: readonly PeerRow[],
  targets: readonly BenchTarget[],
): string {
  const lines = [
    "# nagare vs TensorFlow.js",
    "",
    `${machine.cpu}, ${machine.cores} cores, Deno ${machine.deno} (V8 ${machine.v8}), ` +
    `TensorFlow.js 4.22.0; ${machine.date}; ${machine.mode}. Made by \`deno task bench:peers\`.`,
    "",
    "| Workload | Measure | nagare | | Peer | | nagare / peer |",
    "|---|---|---|---:|---|---:|---:|",
    ...rows.map((r) =>
      `| ${r.workload} | ${r.measure} | ${r.nagare.setup} | ${fmt(r.nagare.value, r.digits)} | ` +
      `${r.peer.setup} | ${fmt(r.peer.value, r.digits)} | ${fmt(ratioOf(r), 2)} |`
    ),
    "",
    "Targets:",
    "",
    ...targets.map((t) => {
      const { nagare, peer } = t.row;
      const got = t.within !== undefined
        ? `difference ${fmt(Math.abs(nagare.value - peer.value), 2)}`
        : t.below !== undefined
        ? `${fmt(nagare.value)}`
        : `ratio ${fmt(ratioOf(t.row), 2)}`;
      return `- ${met(t) ? "met" : "**not met**"}: ${t.label} (${got})`;
    }),
    "",
  ];
  return lines.join("\n");
}
