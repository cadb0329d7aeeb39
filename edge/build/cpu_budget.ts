// How many rows one /predict request may carry on each platform: the model's
// cost per row (its multiply-adds counted, the whole handler measured here),
// against the CPU time per request each platform allows (targets.ts).
import type { CpuLimit } from "./targets.ts";

/** What the cost of a row depends on: the sizes of a network's layers. */
export interface LayerSizes {
  readonly layers: readonly { readonly inputs: number; readonly units: number }[];
}

/**
 * The most rows per request `edge:build` accepts (`--max-rows`). Past this a
 * request of a typical model takes seconds of CPU and a body of tens of MB
 * (MNIST: 188 MB at 10,000 rows, over the 128 MB a Worker or a Vercel Edge
 * function may use): a client should split such batches.
 */
export const MAX_ROWS = 10_000;

/** The largest default batch, the handler's own default: a larger one must be asked for. */
export const DEFAULT_ROWS_CAP = 1_000;

/**
 * The share of a CPU limit a batch is sized to: edge machines are slower or
 * faster than the one building (one MNIST batch measured 38-176 ms of Workers
 * CPU), and the runtime's own work on the request counts too.
 */
export const CPU_HEADROOM = 0.5;

/**
 * Multiply-adds of one row through every layer (the sum of inputs × units):
 * what the forward pass costs, activations and I/O aside.
 *
 * @example
 * ```ts
 * import { multiplyAdds } from "./cpu_budget.ts";
 * multiplyAdds({ layers: [{ inputs: 784, units: 128 }, { inputs: 128, units: 10 }] }); // 101632
 * ```
 */
export function multiplyAdds(network: LayerSizes): number {
  return network.layers.reduce((sum, layer) => sum + layer.inputs * layer.units, 0);
}

/** What one request costs: a fixed part, and a part per row. */
export interface RowCost {
  /** CPU milliseconds each row adds. */
  readonly rowMs: number;
  /** CPU milliseconds of a request beyond its rows: routing, reading, replying. */
  readonly requestMs: number;
}

/** Options of {@linkcode measureRowCost}. */
export interface MeasureOptions {
  /** Milliseconds, increasing (default `performance.now`); tests inject one. */
  clock?: () => number;
  /** Rows of the large request (default 32). */
  rows?: number;
  /** Timed requests of each size, whose median counts (default 7). */
  runs?: number;
  /** Untimed requests of each size first, so that the JIT has compiled the hot loops (default 5). */
  warmUps?: number;
}

/** `rows` rows of `width` numbers with the 16-18 digits a float64 prints: a long JSON body to parse. */
function body(rows: number, width: number): string {
  const row = (r: number) =>
    Array.from({ length: width }, (_, c) => ((r * width + c) * 7919 % 10007) / 10007);
  return JSON.stringify({ inputs: Array.from({ length: rows }, (_, r) => row(r)) });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures a /predict handler on this machine: the median time of a one-row
 * request and of a `rows`-row one, after warm-up requests, gives the cost of
 * a row (their difference) and of a request (the rest). What is timed is all
 * the handler does on the platform: reading and parsing the JSON, checking
 * it, the forward pass and the reply. The handler must accept `rows` rows.
 *
 * @example
 * ```ts ignore
 * const cost = await measureRowCost(createModelHandler({ model, maxRows: 32 }), 784);
 * ```
 */
export async function measureRowCost(
  handler: (req: Request) => Promise<Response>,
  width: number,
  options: MeasureOptions = {},
): Promise<RowCost> {
  const { clock = () => performance.now(), rows = 32, runs = 7, warmUps = 5 } = options;
  const bodies = [body(1, width), body(rows, width)];
  const time = async (text: string): Promise<number> => {
    const req = new Request("http://nagare.local/predict", {
      method: "POST",
      body: text,
      headers: { "content-type": "application/json" },
    });
    const start = clock();
    const res = await handler(req);
    const reply = await res.text();
    const ms = clock() - start;
    if (res.status !== 200) {
      throw new Error(`Measuring the handler failed: it answered ${res.status}: ${reply}`);
    }
    return ms;
  };
  for (let i = 0; i < warmUps; i++) for (const text of bodies) await time(text);
  const one: number[] = [], many: number[] = [];
  for (let i = 0; i < runs; i++) {
    one.push(await time(bodies[0]));
    many.push(await time(bodies[1]));
  }
  const small = median(one), large = median(many);
  // Noise can make the large request look no dearer than the small one: then charge it all to rows.
  const rowMs = large > small ? (large - small) / (rows - 1) : large / rows;
  return { rowMs, requestMs: Math.max(0, small - rowMs) };
}

/**
 * The most rows of one request that fit {@linkcode CPU_HEADROOM} of
 * `limitMs`: 0 when not even one does, at most {@linkcode MAX_ROWS}.
 *
 * @example
 * ```ts
 * import { rowsWithin } from "./cpu_budget.ts";
 * rowsWithin({ rowMs: 0.17, requestMs: 0.05 }, 10); // 29
 * ```
 */
export function rowsWithin(cost: RowCost, limitMs: number): number {
  const rows = Math.floor((limitMs * CPU_HEADROOM - cost.requestMs) / cost.rowMs);
  return Math.max(0, Math.min(MAX_ROWS, rows));
}

/** The largest of 1, 2, 5, 10, 20, 50, ... not above `n` (0 below 1): round figures that vary less between builds. */
function roundDown125(n: number): number {
  if (n < 1) return 0;
  const power = 10 ** Math.floor(Math.log10(n));
  return [5, 2, 1].map((m) => m * power).find((step) => step <= n) ?? power;
}

/**
 * The default `--max-rows` of a bundle: the largest round batch (1, 2, 5 ×
 * 10ⁿ) that fits the strictest of `limits`, from 1 to {@linkcode DEFAULT_ROWS_CAP}.
 *
 * @example
 * ```ts
 * import { defaultMaxRows } from "./cpu_budget.ts";
 * defaultMaxRows({ rowMs: 0.17, requestMs: 0.05 }, [{ plan: "Free", ms: 10 }]); // 20
 * defaultMaxRows({ rowMs: 0.001, requestMs: 0.05 }, [{ plan: "Free", ms: 10 }]); // 1000
 * ```
 */
export function defaultMaxRows(cost: RowCost, limits: readonly CpuLimit[]): number {
  const strictest = Math.min(...limits.map((l) => l.ms));
  return Math.max(1, Math.min(DEFAULT_ROWS_CAP, roundDown125(rowsWithin(cost, strictest))));
}

const count = (n: number) => n.toLocaleString("en-US");
const ms = (n: number) => (n >= 1000 ? `${count(n / 1000)} s` : `${count(n)} ms`);
const about = (n: number) => (n >= 10 ? ms(Math.round(n)) : `${n.toPrecision(2)} ms`);

/** What {@linkcode formatCpuReport} reports on. */
export interface CpuReport {
  network: LayerSizes;
  cost: RowCost;
  limits: readonly CpuLimit[];
  /** Where the limits come from. */
  note: string;
  /** The bundle's rows per request, and whether it was given or derived. */
  maxRows: number;
  given: boolean;
}

/**
 * Human lines: the cost of a row, then per plan the largest batch that fits
 * its CPU limit, and the bundle's `--max-rows` against them.
 *
 * @example
 * ```ts ignore
 * console.log(formatCpuReport({ network, cost, limits, note, maxRows: 20, given: false }).join("\n"));
 * ```
 */
export function formatCpuReport(report: CpuReport): string[] {
  const { cost, limits, maxRows } = report;
  const strictest = limits.reduce((a, b) => (b.ms < a.ms ? b : a));
  const lines = [
    `CPU per request: ${
      count(multiplyAdds(report.network))
    } multiply-adds a row; measured here after a warm-up (the whole handler: read, parse, check, predict, reply): ${
      cost.rowMs.toFixed(3)
    } ms a row + ${cost.requestMs.toFixed(3)} ms a request`,
    ...limits.map((limit) => {
      const rows = rowsWithin(cost, limit.ms);
      const fit = rows === 0
        ? "not one row fits: use a smaller model or another plan"
        : `up to ${count(rows)} rows${rows === MAX_ROWS ? " (the most --max-rows allows)" : ""}`;
      return `  ${limit.plan}: ${ms(limit.ms)} CPU${limit.note ? ` (${limit.note})` : ""}: ${fit}`;
    }),
    `  batches are sized to ${
      Math.round(CPU_HEADROOM * 100)
    }% of each limit: edge CPUs differ from this one`,
  ];
  const need = cost.requestMs + maxRows * cost.rowMs;
  if (report.given) {
    const over = limits.filter((l) => rowsWithin(cost, l.ms) < maxRows).map((l) => l.plan);
    lines.push(
      `  --max-rows ${count(maxRows)}: about ${about(need)} per full request${
        over.length ? `; warning: too many for ${over.join(", ")}` : ""
      }`,
    );
  } else {
    const sized = rowsWithin(cost, strictest.ms) === 0
      ? `one row, though not even one fits ${strictest.plan}`
      : `sized for ${strictest.plan}`;
    lines.push(
      `  --max-rows ${count(maxRows)}: the default, ${sized} (about ${
        about(need)
      } per full request); pass --max-rows N (at most ${count(MAX_ROWS)}) to change it`,
    );
  }
  lines.push(`  CPU limits from ${report.note}`);
  return lines;
}
