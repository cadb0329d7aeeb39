import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { modelFingerprintHooks } from "../../core/checks/fingerprint.ts";
import { fromModelFile } from "../../core/model/model_file.ts";
import { createRegistry } from "../../core/checks/registry.ts";
import type { Plugin } from "../../core/math/types.ts";
import { writeFileAtomic } from "../../io/write_atomic.ts";
import * as activationModule from "../../plugins/activations/mod.ts";
import { builtinActivations } from "../../plugins/activations/mod.ts";
import { collectPlugins } from "../collect_plugins.ts";
import { bundleModule } from "./bundle.ts";
import { type EntryOptions, entrySource } from "./entry_source.ts";
import { checkLimits, formatSizeReport, gzipSize, type LimitCheck } from "./size_report.ts";
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
  /** Most rows per request (default 1000). */
  maxRows?: number;
  /** deno.json used to resolve imports while bundling (default: this project's). */
  config?: string;
}

/** What {@linkcode buildEdge} wrote and measured. */
export interface EdgeBuildResult {
  /** Files written, relative to the output folder; the bundle first. */
  files: string[];
  /** Minified and gzip-compressed bundle sizes in bytes. */
  sizes: { raw: number; gzip: number };
  checks: LimitCheck[];
  /** Lines for humans: sizes, limits, deploy commands. */
  report: string[];
}

const here = (path: string) => new URL(path, import.meta.url);

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

async function loadPlugins(
  paths: readonly string[],
): Promise<{ urls: string[]; plugins: Plugin[] }> {
  const urls = paths.map((p) => pathToFileURL(resolve(p)).href);
  const plugins: Plugin[] = [];
  for (let i = 0; i < urls.length; i++) {
    let module: Record<string, unknown>;
    try {
      module = await import(urls[i]);
    } catch (error) {
      throw new TypeError(`Cannot import plugin module ${paths[i]}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    plugins.push(...collectPlugins(module, paths[i]));
  }
  return { urls, plugins };
}

/** The model file as JSON, after a full check, and the names of its activations. */
async function readModel(
  path: string,
  plugins: Plugin[],
): Promise<{ model: Record<string, unknown>; activations: string[] }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new TypeError(`Cannot read --model ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    // The full registry proves each plugin, and fingerprints catch changed math, once, here.
    const registry = createRegistry([...builtinActivations(), ...plugins]);
    const network = fromModelFile(text, { registry, verify: modelFingerprintHooks().verify });
    const activations = [...new Set(network.layers.map((l) => l.activation.name))];
    return { model: JSON.parse(text), activations };
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
  const { urls, plugins } = await loadPlugins(options.plugins ?? []);
  const { model, activations } = await readModel(options.model, plugins);
  const fn = functionName(options.name ?? (model.name as string | undefined));
  const work = await Deno.makeTempDir({ prefix: "nagare-edge-" });
  try {
    await Deno.writeTextFile(
      join(work, "model.js"),
      `export default ${JSON.stringify(JSON.stringify(model))};\n`,
    );
    await Deno.writeTextFile(
      join(work, "entry.js"),
      entrySource({
        handlerUrl: here("../model_handler.ts").href,
        collectUrl: here("../collect_plugins.ts").href,
        modelSpecifier: "./model.js",
        pluginUrls: urls,
        activationsUrl: here("../../plugins/activations/mod.ts").href,
        activations: builtinImports(activations),
        maxRows: options.maxRows,
      }),
    );
    const config = options.config ?? fileURLToPath(here("../../deno.json"));
    await bundleModule(join(work, "entry.js"), join(work, "bundle.js"), { config });
    const bundle = await Deno.readFile(join(work, "bundle.js"));
    const contents: Record<string, string | Uint8Array> = {
      [target.bundlePath(fn)]: bundle,
      ...target.files(fn),
    };
    for (const [file, content] of Object.entries(contents)) {
      const path = join(options.out, file);
      await Deno.mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, content);
    }
    const sizes = { raw: bundle.length, gzip: await gzipSize(bundle) };
    const checks = checkLimits(target, sizes.raw, sizes.gzip);
    const report = [
      `${target.title}: wrote ${Object.keys(contents).map((f) => join(options.out, f)).join(", ")}`,
      ...formatSizeReport(
        join(options.out, target.bundlePath(fn)),
        sizes,
        checks,
        target.limitsNote,
      ),
      `deploy (in ${options.out}):`,
      ...target.deploy(fn).map((line) => `  ${line}`),
    ];
    return { files: Object.keys(contents), sizes, checks, report };
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}
