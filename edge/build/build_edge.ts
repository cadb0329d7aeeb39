import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  fingerprint,
  modelFingerprintHooks,
  type StoredPlugin,
} from "../../core/checks/fingerprint.ts";
import { fromModelFile } from "../../core/model/model_file.ts";
import { createRegistry } from "../../core/checks/registry.ts";
import type { Network } from "../../core/math/network.ts";
import type { ActivationPlugin, Plugin } from "../../core/math/types.ts";
import { writeFileAtomic } from "../../io/write_atomic.ts";
import * as activationModule from "../../plugins/activations/mod.ts";
import { builtinActivations } from "../../plugins/activations/mod.ts";
import { collectPlugins } from "../../core/checks/collect_plugins.ts";
import { createModelHandler } from "../model_handler.ts";
import { bundleModule } from "./bundle.ts";
import {
  defaultMaxRows,
  formatCpuReport,
  MAX_ROWS,
  measureRowCost,
  multiplyAdds,
  type RowCost,
} from "./cpu_budget.ts";
import { type EntryOptions, entrySource } from "./entry_source.ts";
import {
  checkLimits,
  formatBytes,
  formatSizeReport,
  gzipSize,
  type LimitCheck,
} from "./size_report.ts";
import { type TargetName, targets } from "./targets.ts";

/** Options of {@linkcode buildEdge}. */
export interface EdgeBuildOptions {
  /** Path of the model file. */
  model: string;
  target: TargetName;
  /** Output folder (created if missing). */
  out: string;
  /** Paths of modules exporting custom plugins the model needs. */
  plugins?: readonly string[];
  /** Function or worker name (default: from the model's name, else "nagare"). */
  name?: string;
  /**
   * Most rows per request, at most {@linkcode MAX_ROWS} (default: the largest
   * round batch that fits the CPU limit of the target's strictest plan, at most 1000).
   */
  maxRows?: number;
  /** Origin browsers may call the bundle from, or `"*"` (default: no CORS headers). */
  corsOrigin?: string;
  /** The model's CPU cost per row and per request (default: measured on this machine). */
  rowCost?: RowCost;
  /** deno.json used to resolve imports while bundling (default: this project's). */
  config?: string;
}

/** What {@linkcode buildEdge} wrote and measured. */
export interface EdgeBuildResult {
  /** Files written, relative to the output folder; the bundle first. */
  files: string[];
  /**
   * Minified and gzip-compressed bundle sizes in bytes, with the kernels
   * when they ship beside the bundle (`kernels`: that file alone).
   */
  sizes: { raw: number; gzip: number; kernels?: { raw: number; gzip: number } };
  checks: LimitCheck[];
  /** Rows per request the bundle takes: `maxRows`, or the default derived from `cpu`. */
  maxRows: number;
  /** Multiply-adds per row, and the cost per row and per request measured (or given). */
  cpu: RowCost & { multiplyAdds: number };
  /** Lines for humans: sizes, CPU per request, warnings, deploy commands. */
  report: string[];
}

const here = (path: string) => new URL(path, import.meta.url);
/** The kernels edge bundles run: plain SIMD, the same bits on every engine. */
const KERNELS = here("../../wasm/gemm_simd.wasm");
const KERNELS_FILE = "kernels.wasm";

/**
 * A worker or function name every platform accepts: lowercase letters, digits and dashes.
 *
 * @example
 * ```ts
 * import { functionName } from "./build_edge.ts";
 * functionName("MNIST v2 (final)"); // "mnist-v2-final"
 * functionName(undefined); // "nagare"
 * ```
 */
export function functionName(name: string | undefined): string {
  const clean = (name ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
    .slice(0, 63);
  return clean || "nagare";
}

/** Custom plugins, each with the `--plugin` path it came from. */
interface LoadedPlugins {
  urls: string[];
  plugins: Plugin[];
  /** The module each plugin came from, by `${kind} ${name}` (a configured copy keeps its name). */
  sources: Map<string, string>;
}

async function loadPlugins(paths: readonly string[]): Promise<LoadedPlugins> {
  const urls = paths.map((p) => pathToFileURL(resolve(p)).href);
  const plugins: Plugin[] = [];
  const sources = new Map<string, string>();
  for (let i = 0; i < urls.length; i++) {
    let module: Record<string, unknown>;
    try {
      module = await import(urls[i]);
    } catch (error) {
      throw new TypeError(`Cannot import plugin module ${paths[i]}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    for (const plugin of collectPlugins(module, paths[i])) {
      plugins.push(plugin);
      sources.set(`${plugin.kind} ${plugin.name}`, paths[i]);
    }
  }
  return { urls, plugins, sources };
}

/** A model checked against the plugins the bundle will carry. */
interface ReadModel {
  model: Record<string, unknown>;
  network: Network;
  activations: string[];
  /** Warnings for humans: custom activations whose math cannot be checked. */
  warnings: string[];
}

/**
 * The fingerprint check of the model's activations against the plugins
 * bundled, in the words of edge:build: which plugin, that its math changed
 * since training, and the fix. Custom activations stored without a
 * fingerprint pass, into `unchecked`.
 */
function verifyAgainst(
  loaded: LoadedPlugins,
  unchecked: Set<string>,
): (entry: StoredPlugin, plugin: ActivationPlugin) => void {
  const { verify } = modelFingerprintHooks();
  return (entry, plugin) => {
    const source = loaded.sources.get(`activation ${plugin.name}`);
    if (entry.fingerprint === undefined) {
      if (source !== undefined) unchecked.add(`activation "${entry.name}" (--plugin ${source})`);
      return;
    }
    try {
      verify(entry, plugin);
    } catch (error) {
      const which = source === undefined
        ? `built-in activation "${entry.name}"`
        : `activation "${entry.name}" from --plugin ${source}`;
      const fix = source === undefined
        ? "build with the nagare version the model was trained with, or retrain the model with this one"
        : `pass the plugin module the model was trained with, or retrain the model with this one (deno task train --plugin ${source})`;
      throw new TypeError(
        `Plugin math changed: the ${which} computes other values than when the model was trained (fingerprint ${entry.fingerprint} then, ${
          fingerprint(plugin)
        } now), so the bundle would answer differently from the trained model: ${fix}`,
        { cause: error },
      );
    }
  };
}

/** The model file as JSON and as a network, after a full check, and the names of its activations. */
async function readModel(path: string, loaded: LoadedPlugins): Promise<ReadModel> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    const options = { cause: error };
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        `--model: ${path}: no such file; train one with deno task train or pass its path`,
        options,
      );
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new Deno.errors.IsADirectory(
        `--model: ${path}: is a folder; pass the model file, e.g. --model model.json`,
        options,
      );
    }
    throw new TypeError(`--model: ${path}: cannot read it: ${(error as Error).message}`, options);
  }
  try {
    // The full registry proves each plugin, and fingerprints catch changed math, once, here.
    const registry = createRegistry([...builtinActivations(), ...loaded.plugins]);
    const unchecked = new Set<string>();
    const network = fromModelFile(text, { registry, verify: verifyAgainst(loaded, unchecked) });
    const activations = [...new Set(network.layers.map((l) => l.activation.name))];
    const warnings = [...unchecked].map((what) =>
      `warning: ${path} stores no fingerprint of ${what}, so edge:build cannot check that its math is the one the model was trained with; models saved with fingerprints (saveModel does) are checked`
    );
    return { model: JSON.parse(text), network, activations, warnings };
  } catch (error) {
    const ErrorType = error instanceof RangeError ? RangeError : TypeError;
    throw new ErrorType(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The built-in activations among those named, as the entry imports them from
 * plugins/activations/mod.ts (whose exports are free of side effects, so the
 * bundle keeps only these); custom ones come with their plugin modules.
 */
function builtinImports(names: readonly string[]): EntryOptions["activations"] {
  const builtin = new Set(builtinActivations().map((a) => a.name));
  return names.filter((name) => builtin.has(name)).map((name) => ({
    name,
    // leakyRelu and elu are factories: called with no arguments they give the default plugin.
    factory: typeof activationModule[name as keyof typeof activationModule] === "function",
  }));
}

/**
 * Writes a deployable folder for one platform: the handler, the model (and
 * custom plugins) bundled into one minified ES module, the platform's config
 * and wrappers. The model is checked before anything is written; every file
 * is written atomically.
 *
 * @example
 * ```ts ignore
 * const result = await buildEdge({ model: "model.json", target: "cloudflare", out: "dist/cloudflare" });
 * console.log(result.report.join("\n"));
 * ```
 */
export async function buildEdge(options: EdgeBuildOptions): Promise<EdgeBuildResult> {
  const target = targets[options.target];
  if (options.maxRows !== undefined && options.maxRows > MAX_ROWS) {
    throw new RangeError(
      `Invalid maxRows: ${options.maxRows} is more than ${MAX_ROWS}, the most a bundle takes: split larger batches`,
    );
  }
  const loaded = await loadPlugins(options.plugins ?? []);
  const { urls } = loaded;
  const { model, network, activations, warnings } = await readModel(options.model, loaded);
  const fn = functionName(options.name ?? (model.name as string | undefined));
  const kernels = target.kernels === "none" ? undefined : await Deno.readFile(KERNELS);
  // The handler the bundle will run, on this machine: it checks corsOrigin and measures a row.
  const sample = 32;
  const probe = createModelHandler({
    model: network,
    maxRows: sample,
    ...(kernels ? { kernels } : {}),
    ...(options.corsOrigin === undefined ? {} : { corsOrigin: options.corsOrigin }),
  });
  const cost = options.rowCost ?? await measureRowCost(probe, network.inputs, { rows: sample });
  const maxRows = options.maxRows ?? defaultMaxRows(cost, target.cpuLimits);
  const work = await Deno.makeTempDir({ prefix: "nagare-edge-" });
  try {
    await Deno.writeTextFile(
      join(work, "model.js"),
      `export default ${JSON.stringify(JSON.stringify(model))};\n`,
    );
    if (target.kernels === "embed") {
      await Deno.writeTextFile(
        join(work, "kernels.js"),
        `export default Uint8Array.from(atob("${kernels!.toBase64()}"), (c) => c.charCodeAt(0));\n`,
      );
    }
    const kernelsSpecifier =
      { import: `./${KERNELS_FILE}`, embed: "./kernels.js", none: undefined }[
        target.kernels
      ];
    await Deno.writeTextFile(
      join(work, "entry.js"),
      entrySource({
        handlerUrl: here("../model_handler.ts").href,
        collectUrl: here("../../core/checks/collect_plugins.ts").href,
        modelSpecifier: "./model.js",
        pluginUrls: urls,
        activationsUrl: here("../../plugins/activations/mod.ts").href,
        activations: builtinImports(activations),
        maxRows,
        corsOrigin: options.corsOrigin,
        kernelsSpecifier,
      }),
    );
    const config = options.config ?? fileURLToPath(here("../../deno.json"));
    const imported = target.kernels === "import" ? kernels : undefined;
    await bundleModule(join(work, "entry.js"), join(work, "bundle.js"), {
      config,
      ...(imported ? { external: [kernelsSpecifier!] } : {}),
    });
    const bundle = await Deno.readFile(join(work, "bundle.js"));
    const kernelsPath = join(dirname(target.bundlePath(fn)), KERNELS_FILE);
    const contents: Record<string, string | Uint8Array> = {
      [target.bundlePath(fn)]: bundle,
      ...(imported ? { [kernelsPath]: imported } : {}),
      ...target.files(fn),
    };
    for (const [file, content] of Object.entries(contents)) {
      const path = join(options.out, file);
      await Deno.mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, content);
    }
    const wasmSizes = imported && { raw: imported.length, gzip: await gzipSize(imported) };
    const sizes = {
      raw: bundle.length,
      gzip: await gzipSize(bundle),
      ...(wasmSizes ? { kernels: wasmSizes } : {}),
    };
    // The platform counts the .wasm beside the bundle as code too.
    const checks = checkLimits(
      target,
      sizes.raw + (wasmSizes?.raw ?? 0),
      sizes.gzip + (wasmSizes?.gzip ?? 0),
    );
    const kernelsLine = {
      import: `kernels: ${join(options.out, kernelsPath)} (wasm SIMD, ${
        formatBytes(wasmSizes ? wasmSizes.raw : 0)
      }, ${
        formatBytes(wasmSizes ? wasmSizes.gzip : 0)
      } gzip), imported as a module: ${target.kernelsNote}`,
      embed: `kernels: wasm SIMD, embedded in the bundle: ${target.kernelsNote}`,
      none: `kernels: pure TypeScript: ${target.kernelsNote}`,
    }[target.kernels];
    const report = [
      `${target.title}: wrote ${Object.keys(contents).map((f) => join(options.out, f)).join(", ")}`,
      ...formatSizeReport(
        join(options.out, target.bundlePath(fn)),
        sizes,
        checks,
        target.limitsNote,
      ),
      kernelsLine,
      ...formatCpuReport({
        network,
        cost,
        limits: target.cpuLimits,
        note: target.cpuNote,
        maxRows,
        given: options.maxRows !== undefined,
      }),
      ...(options.corsOrigin === undefined
        ? []
        : [`CORS: answers preflights and allows the origin ${options.corsOrigin}`]),
      ...warnings,
      `deploy (in ${options.out}):`,
      ...target.deploy(fn).map((line) => `  ${line}`),
    ];
    const cpu = { ...cost, multiplyAdds: multiplyAdds(network) };
    return { files: Object.keys(contents), sizes, checks, maxRows, cpu, report };
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}
