/**
 * Checks the dependency direction of ../shared/STYLE.md and the size budgets,
 * reading the module graph from `deno info --json`:
 * 1. core/ imports nothing from the other top-level folders;
 * 2. inside core/, folders import only folders below them, in this order:
 *    math; checks, data, wasm; model; train (see {@linkcode CORE_ORDER});
 * 3. inside core/, only train/ and data/ import rxjs;
 * 4. the inference path (core/math/predict.ts, core/wasm/predict.ts, edge/handler.ts,
 *    plugins/activations) reaches no rxjs, no hono, and no Deno or Node APIs;
 * 5. plugins/ import only core/math/types.ts and small core/math helpers;
 * 6. no import cycles, type imports included;
 * 7. a `_name.ts` file (or anything in a `_testing/` folder) is private to its
 *    folder (its top-level folder; inside core/, its subfolder);
 * 8. source files (tests, benches and generated files aside) stay under 400
 *    lines, and core/math/ under 2,000 lines in all.
 *
 * Run: `deno task graph`. Exits 1 with one line per broken rule.
 *
 * @module
 */

import { cycles, edgeProblems, isSource, pkg, type RelEdge } from "./graph_rules.ts";

const ROOT = new URL("../", import.meta.url);
const rootPath = decodeURIComponent(ROOT.pathname);

const FILE_BUDGET = 400;
const MATH_BUDGET = 2_000;

const SKIP_DIRS = new Set([".git", "node_modules", "dist", "docs", "wasm", ".ci", "_scratch"]);

async function listFiles(dir: string, out: string[] = []): Promise<string[]> {
  for await (const e of Deno.readDir(dir)) {
    if (SKIP_DIRS.has(e.name) && dir === rootPath) continue;
    const p = `${dir}${e.name}`;
    if (e.isDirectory) await listFiles(`${p}/`, out);
    else if (e.isFile && p.endsWith(".ts")) out.push(p);
  }
  return out;
}

interface Edge {
  from: string;
  to: string;
  runtime: boolean;
}

async function graph(files: string[]): Promise<Edge[]> {
  const entry = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(entry, files.map((f) => `import "file://${f}";`).join("\n"));
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--config", `${rootPath}deno.json`, entry],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    const info = JSON.parse(new TextDecoder().decode(out.stdout));
    const edges: Edge[] = [];
    for (const m of info.modules ?? []) {
      const from = String(m.specifier).replace(/^file:\/\//, "");
      for (const d of m.dependencies ?? []) {
        for (const [side, runtime] of [["code", true], ["type", false]] as const) {
          const to = d[side]?.specifier;
          if (to) edges.push({ from, to: String(to).replace(/^file:\/\//, ""), runtime });
        }
      }
    }
    return edges.filter((e) => e.from !== entry);
  } finally {
    await Deno.remove(entry);
  }
}

const rel = (p: string) => p.startsWith(rootPath) ? p.slice(rootPath.length) : p;

/** Files reachable from `starts` through runtime imports. */
function reach(starts: string[], edges: Edge[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...starts];
  while (todo.length) {
    const cur = todo.pop()!;
    if (seen.has(cur)) continue;
    seen.add(cur);
    for (const e of edges) if (e.from === cur && e.runtime) todo.push(e.to);
  }
  return seen;
}

const files = (await listFiles(rootPath)).filter((f) =>
  !f.startsWith(`${rootPath}_tools/`) || isSource(f)
);
const edges = await graph(files);
const problems: string[] = [];

const relEdges: RelEdge[] = edges
  .filter((e) => e.from.startsWith(rootPath))
  .map((e) => ({ from: rel(e.from), to: rel(e.to), local: e.to.startsWith(rootPath) }));
for (const e of relEdges) problems.push(...edgeProblems(e));

for (const group of cycles(relEdges)) {
  problems.push(`import cycle (type imports included): ${group.join(" -> ")}`);
}

const inferenceRoots = [
  "core/math/predict.ts",
  "core/wasm/predict.ts",
  "edge/handler.ts",
  "plugins/activations/mod.ts",
].map((p) => `${rootPath}${p}`);
for (const root of inferenceRoots.filter((p) => !files.includes(p))) {
  problems.push(
    `${rel(root)} is gone: name the inference path's new start in _tools/check_graph.ts`,
  );
}
for (const file of reach(inferenceRoots, edges)) {
  const name = pkg(file);
  if (name === "rxjs" || name === "hono" || name?.startsWith("@hono/")) {
    problems.push(
      `the inference path reaches ${name}: keep it out of core/math/predict.ts, edge/handler.ts and activations`,
    );
  }
  if (file.startsWith("node:")) {
    problems.push(`the inference path reaches ${file}: no Node APIs on the edge`);
  }
  if (file.startsWith(rootPath) && isSource(file)) {
    const text = await Deno.readTextFile(file);
    if (/\bDeno\.[a-zA-Z]/.test(text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ""))) {
      problems.push(`${rel(file)} uses Deno APIs but is on the inference path`);
    }
    if (/\beval\(|new Function\(/.test(text)) {
      problems.push(`${rel(file)} uses eval on the inference path`);
    }
  }
}

let mathLines = 0;
for (const f of files.filter(isSource)) {
  const text = await Deno.readTextFile(f);
  if (text.startsWith("// Generated")) continue;
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  if (rel(f).startsWith("core/math/")) mathLines += lines;
  if (lines > FILE_BUDGET) {
    problems.push(`${rel(f)} has ${lines} lines: one idea per file, up to ${FILE_BUDGET}`);
  }
}
if (mathLines > MATH_BUDGET) {
  problems.push(
    `core/math/ has ${mathLines} non-test lines: the math a newcomer reads in an afternoon stays within ${MATH_BUDGET}; move what is not the network math to its own folder`,
  );
}

if (problems.length) {
  console.error(
    `Dependency rules broken (${problems.length}):\n- ${[...new Set(problems)].join("\n- ")}`,
  );
  Deno.exit(1);
}
console.log(
  `Dependency rules hold: ${files.length} files, ${edges.length} imports checked, no cycles; core/math/ ${mathLines} lines`,
);
