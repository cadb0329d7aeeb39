import { basename, dirname, join } from "node:path";

/**
 * Writes a file so that readers see the old content or the new one, never a
 * half-written file: the data goes to a temporary file in the same folder,
 * is flushed to disk, then renamed over `path`. On failure the temporary file
 * is removed and the error rethrown; `path` is left as it was.
 *
 * @example
 * ```ts ignore
 * import { writeFileAtomic } from "./write_atomic.ts";
 * await writeFileAtomic("model.json", JSON.stringify({ hello: "world" }));
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const random = crypto.randomUUID().slice(0, 8);
  const temp = join(dirname(path), `.${basename(path)}.${random}.tmp`);
  try {
    const file = await Deno.open(temp, { write: true, createNew: true });
    try {
      for (let done = 0; done < bytes.length;) done += await file.write(bytes.subarray(done));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
