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
 * symlinks leading outside the folder, missing or non-regular files (the
 * folder itself included), and any other file-system error on the path
 * (a file used as a folder, no permission), so that the server answers 400.
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
  const name = JSON.stringify(path);
  try {
    const real = await Deno.realPath(join(root, clean));
    if (real === root) throw new TypeError(`${name} is the data folder itself, not a regular file`);
    if (!real.startsWith(root.endsWith(sep) ? root : root + sep)) {
      throw new TypeError(
        "leads outside the server's data folder (through a symlink): copy the file into the folder",
      );
    }
    const info = await Deno.stat(real);
    if (!info.isFile) throw new TypeError(`${name} is not a regular file`);
    return real;
  } catch (error) {
    throw isDenoError(error) ? fileProblem(error, name) : error;
  }
}

function isDenoError(error: unknown): error is Error {
  return Object.values(Deno.errors).some((E) => error instanceof E);
}

/** A Deno I/O error on the client's path, as a TypeError the run policy reports as a 400 issue. */
function fileProblem(error: Error, name: string): TypeError {
  if (error instanceof Deno.errors.NotFound) {
    return new TypeError(`no file ${name} in the server's data folder: check the name`);
  }
  if (error instanceof Deno.errors.NotADirectory) {
    return new TypeError(
      `${name} is not a regular file: it goes through a file as if it were a folder; check for a stray "/"`,
    );
  }
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return new TypeError(
      `the server may not read ${name}: ask its operator to make the file readable`,
    );
  }
  return new TypeError(`cannot open ${name} (${error.name}): check the name`);
}
