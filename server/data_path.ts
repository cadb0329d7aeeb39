/**
 * Resolves a data file named in a run config inside the server's data
 * folder, refusing anything that could read elsewhere.
 *
 * @module
 */
import { isAbsolute, join, normalize, sep } from "node:path";

/**
 * The real path of `path` inside `dataDir`. Throws a TypeError naming the
 * problem for: no data folder configured, absolute paths, `..` escapes,
 * symlinks leading outside the folder, and missing or non-regular files.
 *
 * @example
 * ```ts ignore
 * import { resolveDataPath } from "./data_path.ts";
 * await resolveDataPath("./data", "flowers.csv"); // "/srv/data/flowers.csv"
 * await resolveDataPath("./data", "../etc/passwd"); // throws TypeError
 * ```
 */
export async function resolveDataPath(dataDir: string | undefined, path: string): Promise<string> {
  if (dataDir === undefined) {
    throw new TypeError(
      "file data sets are off on this server: start it with --data-dir DIR and put the file there, or use a built-in data set",
    );
  }
  if (path.includes("\0")) throw new TypeError("must not contain NUL characters");
  if (isAbsolute(path) || /^[a-z]:/i.test(path) || path.startsWith("\\")) {
    throw new TypeError(
      "must be a path relative to the server's data folder, not an absolute path",
    );
  }
  const clean = normalize(path);
  if (clean === ".." || clean.startsWith(`..${sep}`) || clean.split(/[\\/]/).includes("..")) {
    throw new TypeError("must stay inside the server's data folder: remove the '..' parts");
  }
  const root = await Deno.realPath(dataDir);
  let real: string;
  try {
    real = await Deno.realPath(join(root, clean));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new TypeError(
        `no file ${JSON.stringify(path)} in the server's data folder: check the name`,
      );
    }
    throw error;
  }
  if (!real.startsWith(root.endsWith(sep) ? root : root + sep)) {
    throw new TypeError(
      "leads outside the server's data folder (through a symlink): copy the file into the folder",
    );
  }
  const info = await Deno.stat(real);
  if (!info.isFile) throw new TypeError(`${JSON.stringify(path)} is not a regular file`);
  return real;
}
