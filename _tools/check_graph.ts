/**
 * Checks the dependency direction of ../shared/STYLE.md and the file-size
 * budget, reading the module graph from `deno info --json`:
 * 1. core/ imports nothing from plugins/, server/, cli/, jobs/, edge/, io/, parallel/, examples/;
 * 2. inside core/, only the trainer, data sources and schedules import rxjs;
 * 3. the inference path (core/infer.ts, edge/handler.ts, plugins/activations)
 *    reaches no rxjs, no hono, and no Deno or Node APIs;
 * 4. plugins/ import only core/types.ts and small core helpers;
 * 5. source files (tests, benches and generated files aside) stay under 300 lines.
 *
 * Run: `deno task graph`. Exits 1 with one line per broken rule.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);
const rootPath = decodeURIComponent(ROOT.pathname);

const SKIP_DIRS = new Set([".git", "node_modules", "dist", "docs", "wasm", ".ci", "_scratch"]);
const isSource = (p: string) =>
  p.endsWith(".ts") && !/_test\.ts$|_bench\.ts$/.test(p) && !p.includes("/_testing/");

async function listFiles(dir: string, out: string[] = []): Promise<string[]> {
  for await (const e of Deno.readDir(dir)) {
    if (SKIP_DIRS.has(e.name)) continue;
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
        const to = d.code?.specifier ?? d.type?.specifier;
        if (!to) continue;
        edges.push({ from, to: String(to).replace(/^file:\/\//, ""), runtime: Boolean(d.code) });
      }
    }
    return edges.filter((e) => e.from !== entry);
  } finally {
    await Deno.remove(entry);
  }
}

const rel = (p: string) => p.startsWith(rootPath) ? p.slice(rootPath.length) : p;
const pkg = (spec: string) => spec.match(/^npm:\/?((?:@[^/]+\/)?[^@/]+)/)?.[1];

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
const edges = await graph(files.filter(isSource));
const problems: string[] = [];

for (const e of edges) {
  const from = rel(e.from), to = rel(e.to);
  if (!isSource(e.from) || e.from.startsWith("npm:")) continue;
  if (
    from.startsWith("core/") && /^(plugins|server|cli|jobs|edge|io|parallel|examples)\//.test(to)
  ) {
    problems.push(`${from} imports ${to}: core/ must not import ${to.split("/")[0]}/`);
  }
  if (
    from.startsWith("core/") && pkg(to) === "rxjs" &&
    !/^core\/(train[^/]*|data\/.*|schedules\/.*|callbacks\/.*)\.ts$/.test(from)
  ) {
    problems.push(
      `${from} imports rxjs: inside core/ only the trainer, data sources and schedules may`,
    );
  }
  if (
    from.startsWith("plugins/") && to.startsWith("core/") &&
    !/^core\/(types|elementwise|adam_rule|_[a-z_]+)\.ts$/.test(to)
  ) {
    problems.push(
      `${from} imports ${to}: plugins/ may import only core/types.ts and small core helpers`,
    );
  }
}

const inferenceRoots = ["core/infer.ts", "edge/handler.ts", "plugins/activations/mod.ts"]
  .map((p) => `${rootPath}${p}`)
  .filter((p) => files.includes(p));
for (const file of reach(inferenceRoots, edges)) {
  const name = pkg(file);
  if (name === "rxjs" || name === "hono" || name?.startsWith("@hono/")) {
    problems.push(
      `the inference path reaches ${name}: keep it out of core/infer.ts, edge/handler.ts and activations`,
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

for (const f of files.filter(isSource)) {
  const text = await Deno.readTextFile(f);
  if (text.startsWith("// Generated")) continue;
  const lines = text.split("\n").length;
  if (lines > 300) problems.push(`${rel(f)} has ${lines} lines: split it by idea (budget 300)`);
}

if (problems.length) {
  console.error(
    `Dependency rules broken (${problems.length}):\n- ${[...new Set(problems)].join("\n- ")}`,
  );
  Deno.exit(1);
}
console.log(
  `Dependency rules hold: ${
    files.filter(isSource).length
  } source files, ${edges.length} imports checked`,
);
