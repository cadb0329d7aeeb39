import { builtinActivations } from "../plugins/activations/mod.ts";
import {
  createModelHandler,
  type PredictHandler,
  type PredictHandlerOptions,
} from "./model_handler.ts";

export type { PredictHandler, PredictHandlerOptions };

/**
 * Builds a fetch-style prediction handler for one model. The model is loaded
 * and checked once, here, so a broken model fails at startup, not per request.
 *
 * - `POST /predict` with `{ "inputs": number[][] }` answers `{ "outputs": number[][] }`,
 *   plus `"classes"` for models whose output activation gives probabilities: per row,
 *   the arg-max for a row-wise output (softmax: one class per row), 0/1 at 0.5 for
 *   one sigmoid output, and for several independent outputs (sigmoid, multi-label)
 *   an array of 0/1, one per output. Logits models give no classes.
 * - `GET /health` answers the model's name, input and output widths.
 * - Problems answer `{ "error": { "code", "message } }`: 400 bad JSON or inputs, 404 unknown
 *   route, 405 wrong method, 413 too many rows or too large a body, 415 not JSON. Any body
 *   gets a 4xx, however deep or large; messages quote the client's values cut to 80 characters.
 * - With `corsOrigin`, `OPTIONS` preflights answer 204 and every reply allows that origin;
 *   without it, no CORS headers.
 *
 * Routes match the last path segment, so the handler works under any prefix
 * (`/api/predict` on Vercel, `/<function>/predict` on Supabase).
 *
 * @example
 * ```ts ignore
 * import { createPredictHandler } from "./handler.ts";
 * import model from "./model.json" with { type: "json" };
 * export default { fetch: createPredictHandler({ model }) };
 * ```
 */
export function createPredictHandler(options: PredictHandlerOptions): PredictHandler {
  return createModelHandler({
    ...options,
    plugins: [...builtinActivations(), ...(options.plugins ?? [])],
  });
}
