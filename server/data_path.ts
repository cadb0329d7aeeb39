/**
 * Resolves a data file named in a run config inside the server's data
 * folder, refusing anything that could read elsewhere.
 *
 * @module
 */
import { isAbsolute, join, normalize, sep } from "node:path";

/**
 * A data file the run policy admitted: the client's name for it (what
 * responses show), and where and which file it was then (for the server
 * only), so that the run can refuse a file swapped in meanwhile.
 */
export interface AdmittedFile {
  /** The path as the client gave it, relative to the data folder. */
  readonly name: string;
  /** Its real, absolute path; never sent to clients. */
  readonly realPath: string;
  /** The data folder's real path. */
  readonly root: string;
  /** Device and inode of the file at admission (`ino` is null where Deno has none: Windows). */
  readonly dev: number;
  readonly ino: number | null;
}

const ADMITTED = Symbol("nagare.admittedFile");

/**
 * The admitted file of `path` inside `dataDir`. Throws a TypeError naming the
 * problem for: no data folder configured, absolute paths, `..` escapes,
 * symlinks leading outside the folder, missing or non-regular files (the
 * folder itself included), and any other file-system error on the path
 * (a file used as a folder, no permission), so that the server answers 400.
 *
 * @example
 * ```ts ignore
 * import { resolveDataPath } from "./data_path.ts";
 * (await resolveDataPath("./data", "flowers.csv")).realPath; // "/srv/data/flowers.csv"
 * await resolveDataPath("./data", "../etc/passwd"); // throws TypeError
 * ```
 */
export async function resolveDataPath(
  dataDir: string | undefined,
  path: string,
): Promise<AdmittedFile> {
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
    if (!isInside(real, root)) {
      throw new TypeError(
        "leads outside the server's data folder (through a symlink): copy the file into the folder",
      );
    }
    const info = await Deno.stat(real);
    if (!info.isFile) throw new TypeError(`${name} is not a regular file`);
    return { name: path, realPath: real, root, dev: info.dev, ino: info.ino };
  } catch (error) {
    throw isDenoError(error) ? fileProblem(error, name) : error;
  }
}

const isInside = (real: string, root: string) =>
  real.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * A copy of a config's `dataset` that carries its admitted file out of
 * sight: under a symbol, not enumerable, so JSON (responses, the model
 * file) keeps showing the client's path alone.
 *
 * @example
 * ```ts ignore
 * const file = await resolveDataPath(dataDir, "flowers.csv");
 * config.dataset = withAdmittedFile({ csv: "flowers.csv", target: "species" }, file);
 * JSON.stringify(config.dataset); // '{"csv":"flowers.csv","target":"species"}'
 * ```
 */
export function withAdmittedFile<T extends object>(dataset: T, file: AdmittedFile): T {
  return Object.defineProperty({ ...dataset }, ADMITTED, { value: file });
}

/**
 * The admitted file a config's `dataset` carries (see
 * {@linkcode withAdmittedFile}). Throws a TypeError when it carries none:
 * the server trains only on files its run policy checked.
 *
 * @example
 * ```ts ignore
 * admittedFileOf(config.dataset).name; // "flowers.csv"
 * ```
 */
export function admittedFileOf(dataset: unknown): AdmittedFile {
  const file = carriedAdmittedFile(dataset);
  if (file === undefined) {
    throw new TypeError(
      "The data file was not admitted by the server's run policy: post the run to /api/runs",
    );
  }
  return file;
}

/**
 * The admitted file a data set carries, or undefined (a built-in data set,
 * or a CLI run's file, which the CLI opens by its path).
 *
 * @example
 * ```ts ignore
 * const admitted = carriedAdmittedFile(config.dataset); // travels beside the config
 * ```
 */
export function carriedAdmittedFile(dataset: unknown): AdmittedFile | undefined {
  if (typeof dataset !== "object" || dataset === null) return undefined;
  return (dataset as { [ADMITTED]?: AdmittedFile })[ADMITTED];
}

/**
 * Opens an admitted file for reading, refusing a file swapped in since
 * admission: another file (a symlink to one outside the folder included),
 * not a regular file, or a path now leading out of the data folder. The
 * refusal is a TypeError that names the client's path only, never the
 * real path nor a byte of any file.
 *
 * @example
 * ```ts ignore
 * const file = openAdmittedFile(admittedFileOf(config.dataset));
 * ```
 */
export function openAdmittedFile(admitted: AdmittedFile): Deno.FsFile {
  const changed = (why: string) =>
    new TypeError(
      `The data file changed since the run was admitted: ${
        JSON.stringify(admitted.name)
      } ${why}; put the file back or start the run again`,
    );
  const same = (info: Deno.FileInfo) =>
    info.isFile && info.dev === admitted.dev && info.ino === admitted.ino;
  const problem = (error: unknown) =>
    error instanceof Deno.errors.NotFound
      ? changed("is gone")
      : changed(`cannot be opened (${(error as Error).name})`);
  let file: Deno.FsFile;
  try {
    // Checked before opening as well: opening a FIFO put in its place would block the server.
    if (!same(Deno.statSync(admitted.realPath))) throw changed("is another file now");
    file = Deno.openSync(admitted.realPath);
  } catch (error) {
    throw error instanceof TypeError ? error : problem(error);
  }
  try {
    // The file opened, not whatever the path names by now: a swap after the check is caught here.
    if (!same(file.statSync()) || !isInside(Deno.realPathSync(admitted.realPath), admitted.root)) {
      throw changed("is another file now");
    }
  } catch (error) {
    file.close();
    throw error instanceof TypeError ? error : problem(error);
  }
  return file;
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
