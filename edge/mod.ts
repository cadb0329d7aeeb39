/**
 * Edge inference: a fetch-style prediction handler that runs unchanged in
 * Cloudflare Workers, Deno Deploy, Vercel Edge and Supabase Edge Functions.
 *
 * @module
 */
export {
  createPredictHandler,
  type PredictHandler,
  type PredictHandlerOptions,
} from "./handler.ts";
export { createModelHandler } from "./model_handler.ts";
export { activationTable } from "./activation_table.ts";
export { collectPlugins } from "../core/checks/collect_plugins.ts";
