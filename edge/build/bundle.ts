/** Options of {@linkcode bundleModule}. */
export interface BundleOptions {
  /** The deno.json whose import map resolves the sources (e.g. `valibot`). */
  config: string;
  /** Minify (default true). */
  minify?: boolean;
  /** Specifiers left as imports for the platform to resolve (e.g. `"./kernels.wasm"`). */
  external?: readonly string[];
}

/**
 * Bundles `entry` and everything it imports into one ES module at `output`
 * with `deno bundle` (esbuild inside; Deno fetches it from npm on first use).
 * Throws an Error carrying deno's message when bundling fails.
 *
 * @example
 * ```ts ignore
 * await bundleModule("/tmp/x/entry.ts", "/tmp/x/out.js", { config: "deno.json" });
 * ```
 */
export async function bundleModule(
  entry: string,
  output: string,
  options: BundleOptions,
): Promise<void> {
  const args = [
    "bundle",
    "--quiet",
    "--config",
    options.config,
    "--platform",
    "browser",
    "--format",
    "esm",
    ...(options.minify === false ? [] : ["--minify"]),
    ...(options.external ?? []).flatMap((specifier) => ["--external", specifier]),
    "--output",
    output,
    entry,
  ];
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (code !== 0) {
    const message = new TextDecoder().decode(stderr).trim();
    throw new Error(`Bundling failed (deno bundle exited with ${code}): ${message}`);
  }
}
