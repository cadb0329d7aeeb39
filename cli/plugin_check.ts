/**
 * `deno task plugin:check ./path/to/plugin.ts [--json]`: loads plugin modules
 * and runs every registry check on each plugin, printing one line per check,
 * the worst gradient error, the fingerprint and the time taken. Exits 0 when
 * all pass, 1 when any fails, 2 for bad usage or input (no path, unknown flag,
 * a missing file, a module that does not import or exports no plugin),
 * printed by `printError` as `error: ...`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createRegistry } from "../core/checks/registry.ts";
import { checkPlugin, type PluginReport } from "../core/checks/check_plugin.ts";
import type { ActivationPlugin, Plugin } from "../core/math/types.ts";
import { loadPluginModules } from "../io/load_plugins.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { printError, UsageError } from "./print_error.ts";

const HELP = `Check custom plugins the way the registry will, before using them.

Usage: deno task plugin:check [--json] <module.ts>...

Each module's default export (a plugin or an array) and named plugin exports
are checked: shape, purity, finite outputs, gradients (activations, losses),
updates (optimizers), and that the name is free beside the built-ins.

  --json       print one JSON object instead of text
  -h, --help   show this help

Exit status: 0 all passed, 1 a check failed, 2 bad usage or a module that cannot load.`;

/** Where {@linkcode main} writes: standard output and standard error by default. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

const console_: Output = { out: (l) => console.log(l), err: (l) => console.error(l) };

interface Checked {
  readonly source: string;
  readonly report: PluginReport;
}

function textReport(
  checked: readonly Checked[],
  registry: { ok: boolean; detail: string },
): string[] {
  const lines: string[] = [];
  for (const { source, report } of checked) {
    lines.push(
      `${report.name}  ${report.kind ?? "?"} ${report.version ?? "(no version)"}  (${source})`,
    );
    const width = Math.max(...report.checks.map((c) => c.check.length));
    for (const c of report.checks) {
      lines.push(`  ${c.ok ? "pass" : "FAIL"}  ${c.check.padEnd(width)}  ${c.detail}`);
    }
    if (report.fingerprint) lines.push(`  fingerprint ${report.fingerprint}`);
    lines.push(`  time ${report.ms.toFixed(1)} ms`);
  }
  lines.push(`registry  ${registry.ok ? "pass" : "FAIL"}  ${registry.detail}`);
  const failed = checked.filter((c) => !c.report.ok).length;
  const n = `${checked.length} plugin${checked.length === 1 ? "" : "s"} checked`;
  const verdict = failed > 0
    ? `${failed} failed`
    : registry.ok
    ? "all passed"
    : "registry refused them";
  lines.push(`${n}: ${verdict}`);
  return lines;
}

function jsonReport(
  checked: readonly Checked[],
  registry: { ok: boolean; detail: string },
): string {
  const plugins = checked.map(({ source, report }) => ({
    source,
    ...report,
    checks: report.checks.map(({ check, ok, detail, grad }) => ({
      check,
      ok,
      detail,
      ...(grad?.worst ? { worst: grad.worst } : {}),
    })),
  }));
  return JSON.stringify(
    { ok: checked.every((c) => c.report.ok) && registry.ok, plugins, registry },
    null,
    2,
  );
}

/** Whether the plugins register beside the built-ins (names free, or the same plugin). */
function registers(plugins: readonly Plugin[], builtins: readonly Plugin[]) {
  try {
    createRegistry([...builtins, ...plugins]);
    return { ok: true, detail: `registers beside the ${builtins.length} built-in plugins` };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

/** The flags and module paths; throws a {@linkcode UsageError} for bad ones. */
function parseCommand(args: readonly string[]): { json: boolean; help: boolean; paths: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]}; see --help`);
  }
  const { values, positionals } = parsed;
  if (!values.help && positionals.length === 0) {
    throw new UsageError(
      "Missing plugin module: pass its path, e.g. deno task plugin:check ./my_plugin.ts; see --help",
    );
  }
  return { json: values.json === true, help: values.help === true, paths: positionals };
}

/**
 * Runs the command on `args`; returns the exit status.
 *
 * @example
 * ```ts ignore
 * const status = await main(["./examples/plugins/bent_identity.ts"]);
 * ```
 */
export async function main(args: readonly string[], io: Output = console_): Promise<number> {
  let command: { json: boolean; help: boolean; paths: string[] };
  const loaded: { source: string; plugin: Plugin }[] = [];
  try {
    command = parseCommand(args);
    if (command.help) return io.out(HELP), 0;
    for (const source of command.paths) {
      for (const plugin of await loadPluginModules([source])) loaded.push({ source, plugin });
    }
  } catch (e) {
    return printError(e, io.err);
  }
  const all = loaded.map((l) => l.plugin), builtins = builtinPlugins();
  const activations = [...all, ...builtins].filter((p): p is ActivationPlugin =>
    p.kind === "activation"
  );
  const checked = loaded.map(({ source, plugin }): Checked => {
    const fused = plugin.kind === "loss" ? plugin.fused?.activation : undefined;
    const activation = activations.find((a) => a.name === fused);
    return { source, report: checkPlugin(plugin, activation ? { activation } : {}) };
  });
  const registry = checked.every((c) => c.report.ok)
    ? registers(all, builtins)
    : { ok: false, detail: "not tried: fix the failed checks first" };
  if (command.json) io.out(jsonReport(checked, registry));
  else textReport(checked, registry).forEach((line) => io.out(line));
  return checked.every((c) => c.report.ok) && registry.ok ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args).catch((e) => printError(e)));
