import {
  fromModelFile,
  type LoadOptions,
  type ModelFile,
  type ModelMeta,
  toModelFile,
} from "../core/model/model_file.ts";
import type { Network } from "../core/math/network.ts";
import { modelFingerprintHooks } from "../core/checks/fingerprint.ts";
import { writeFileAtomic } from "./write_atomic.ts";

/**
 * Saves a network as a model file (JSON, atomically: readers never see half a
 * file) and returns the model file object that was written. Each activation
 * is stored with its fingerprint (`modelFingerprintHooks`), so that loading
 * with `verify` refuses the model once a plugin's math has changed; a
 * `fingerprint` in `meta` replaces the default one.
 *
 * @example
 * ```ts ignore
 * import { saveModel } from "./model_io.ts";
 * await saveModel("model.json", network, { name: "mnist", training: { seed: 42 } });
 * ```
 */
export async function saveModel(
  path: string,
  network: Network,
  meta?: ModelMeta,
): Promise<ModelFile> {
  const file = toModelFile(network, { fingerprint: modelFingerprintHooks().fingerprint, ...meta });
  await writeFileAtomic(path, JSON.stringify(file));
  return file;
}

/**
 * Reads, checks and rebuilds a model file. Errors keep their type (TypeError,
 * RangeError, Deno.errors.NotFound) and start with the path.
 *
 * @example
 * ```ts ignore
 * import { loadModel } from "./model_io.ts";
 * const network = await loadModel("model.json", { registry: createRegistry(builtinPlugins()) });
 * ```
 */
export async function loadModel(path: string, options: LoadOptions): Promise<Network> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        `Model file not found: ${path}; check the path or train a model first`,
        { cause: error },
      );
    }
    throw error;
  }
  try {
    return fromModelFile(text, options);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new RangeError(`${path}: ${error.message}`, { cause: error });
    }
    if (error instanceof TypeError) {
      throw new TypeError(`${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
