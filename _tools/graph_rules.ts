/**
 * The dependency rules `deno task graph` applies, as pure functions over
 * import edges between repository-relative paths (or `npm:` and `node:`
 * specifiers), so that they can be tested on made-up graphs.
 *
 * @module
 */

/** One import: `from` imports `to`; `local` when `to` is a file of this repository. */
export interface RelEdge {
  readonly from: string;
  readonly to: string;
  readonly local: boolean;
}

/** core/'s folders, lowest first: a folder imports only folders of a lower rank (and its own). */
export const CORE_ORDER: Readonly<Record<string, number>> = {
  math: 0,
  checks: 1,
  data: 1,
  wasm: 1,
  model: 2,
  train: 3,
  _testing: 4,
};

/** Tests, benches and test helpers: exempt from the direction rules, not from privacy or cycles. */
export const isSource = (p: string): boolean =>
  p.endsWith(".ts") && !/_test\.ts$|_bench\.ts$/.test(p) && !p.includes("/_testing/");

const top = (p: string) => p.split("/")[0];
const coreFolder = (p: string) => (p.startsWith("core/") ? p.split("/")[1] : undefined);
const isPrivate = (p: string) => /(^|\/)_[^/]+\.ts$/.test(p) || p.includes("/_testing/");
/** The npm package a specifier names, if any. */
export const pkg = (spec: string): string | undefined =>
  spec.match(/^npm:\/?((?:@[^/]+\/)?[^@/]+)/)?.[1];

/**
 * What is private to which folder: its top-level folder, or inside core/
 * its own subfolder; a `_testing/` folder belongs to the folder holding it.
 */
function owner(p: string): string {
  if (p.includes("/_testing/")) return p.slice(0, p.indexOf("/_testing/"));
  return p.startsWith("core/") ? p.split("/").slice(0, 2).join("/") : top(p);
}

/**
 * The rules one import breaks, as messages naming the import and the rule.
 *
 * @example
 * ```ts
 * import { edgeProblems } from "./graph_rules.ts";
 * edgeProblems({ from: "core/math/network.ts", to: "core/checks/registry.ts", local: true });
 * // ["core/math/network.ts imports core/checks/registry.ts: core/math/ may import only folders below it (none)"]
 * ```
 */
export function edgeProblems(edge: RelEdge): string[] {
  const { from, to, local } = edge, problems: string[] = [];
  if (local && isPrivate(to) && !from.startsWith(`${owner(to)}/`)) {
    problems.push(
      `${from} imports ${to}: a _ file is private to ${
        owner(to)
      }/; export what is needed from a public file`,
    );
  }
  if (!isSource(from)) return problems;
  if (from.startsWith("core/") && local && !to.startsWith("core/")) {
    problems.push(`${from} imports ${to}: core/ must not import ${top(to)}/`);
  }
  const a = coreFolder(from), b = local ? coreFolder(to) : undefined;
  if (a !== undefined && b !== undefined && a !== b && from.split("/").length > 2) {
    if (!(b in CORE_ORDER) || !(a in CORE_ORDER) || CORE_ORDER[b] >= CORE_ORDER[a]) {
      const below = Object.keys(CORE_ORDER).filter((k) => CORE_ORDER[k] < (CORE_ORDER[a] ?? 0));
      problems.push(
        `${from} imports ${to}: core/${a}/ may import only folders below it (${
          below.join(", ") || "none"
        })`,
      );
    }
  }
  if (a !== undefined && pkg(to) === "rxjs" && a !== "train" && a !== "data") {
    problems.push(`${from} imports rxjs: inside core/ only train/ and data/ may`);
  }
  if (
    from.startsWith("plugins/") && to.startsWith("core/") &&
    !/^core\/math\/(types|elementwise|adam_rule)\.ts$/.test(to)
  ) {
    problems.push(
      `${from} imports ${to}: plugins/ may import only core/math/types.ts and small core/math helpers`,
    );
  }
  return problems;
}

/**
 * One import cycle per strongly connected group of local files (Tarjan), as
 * sorted paths; an edge from a file to itself is a cycle too.
 *
 * @example
 * ```ts
 * import { cycles } from "./graph_rules.ts";
 * cycles([{ from: "a.ts", to: "b.ts", local: true }, { from: "b.ts", to: "a.ts", local: true }]);
 * // [["a.ts", "b.ts"]]
 * ```
 */
export function cycles(edges: readonly RelEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (e.local) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>(), low = new Map<string, number>();
  const stack: string[] = [], on = new Set<string>(), found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter), low.set(v, counter++), stack.push(v), on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) visit(w), low.set(v, Math.min(low.get(v)!, low.get(w)!));
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (let w = stack.pop()!;; w = stack.pop()!) {
      on.delete(w), group.push(w);
      if (w === v) break;
    }
    if (group.length > 1 || (next.get(v) ?? []).includes(v)) found.push(group.sort());
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}
