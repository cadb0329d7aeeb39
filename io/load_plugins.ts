/**
 * Loads plugin modules from local files, for `--plugin` flags and
 * `deno task plugin:check`. Plugins are code: they are only ever loaded from
 * paths the operator gives, never from HTTP requests or URLs.
 *
 * @module
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Plugin } from "../core/math/types.ts";
import { collectPlugins } from "../core/checks/collect_plugins.ts";

const SCHEME = /^[a-z][a-z0-9+.-]+:/i; // "https:", "data:", "npm:"; not "C:" (one letter)

async function importModule(path: string): Promise<Record<string, unknown>> {
  if (SCHEME.test(path)) {
    throw new TypeError(
      `Invalid plugin path "${path}": plugins load from local files only; download the module and pass its path`,
    );
  }
  const absolute = resolve(path);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(absolute);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new Deno.errors.NotFound(
      `Plugin module not found: ${path} (looked at ${absolute}); check the path`,
      { cause: error },
    );
  }
  if (!info.isFile) {
    throw new TypeError(
      `Invalid plugin path "${path}": it is a directory; pass the .ts file itself`,
    );
  }
  try {
    return await import(pathToFileURL(absolute).href);
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new TypeError(
      `Cannot import plugin module ${path}: ${why}; fix the module (deno check ${path} shows its errors)`,
      { cause: error },
    );
  }
}

/**
 * Imports each module (paths relative to the working directory) and collects
 * its plugins: the default export (a plugin or an array of plugins) and every
 * named export that is a plugin object `{ kind, name, ... }`. The same plugin
 * exported twice is returned once. Plugins are not checked here: register them
 * with `createRegistry`, which does.
 *
 * Throws `Deno.errors.NotFound` for a missing file, a TypeError for a URL or a
 * directory, a module that fails to import, or one that exports no plugin;
 * every message names the path.
 *
 * @example
 * ```ts ignore
 * import { loadPluginModules } from "./load_plugins.ts";
 * const plugins = await loadPluginModules(["./examples/plugins/bent_identity.ts"]);
 * const registry = createRegistry([...builtinPlugins(), ...plugins]);
 * ```
 */
export async function loadPluginModules(paths: string[]): Promise<Plugin[]> {
  const found: Plugin[] = [];
  for (const path of paths) {
    const module = await importModule(path);
    for (const plugin of collectPlugins(module, path)) {
      if (!found.includes(plugin)) found.push(plugin);
    }
  }
  return found;
}
