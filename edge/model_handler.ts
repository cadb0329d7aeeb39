import { predict } from "../core/math/predict.ts";
import { argmaxRow } from "../core/math/metrics.ts";
import { fromModelFile, type ModelFile } from "../core/model/model_file.ts";
import type { Network } from "../core/math/network.ts";
import type { Registry } from "../core/checks/registry.ts";
import type { Mat, Plugin } from "../core/math/types.ts";
import { activationTable } from "./activation_table.ts";
import { errorResponse, HttpError, jsonResponse, readBodyText } from "./_http.ts";
import { createInputsParser } from "./_inputs.ts";
import { createRowsParser } from "./_rows.ts";
import { type Table, unscaleOutputs } from "../core/data/table.ts";
import { clip, quote } from "./_quote.ts";
import { isOrigin } from "./origin.ts";
import { createWasmInference, type WasmInference } from "../core/wasm/wasm_inference.ts";

/** Options of `createPredictHandler` and {@linkcode createModelHandler}. */
export interface PredictHandlerOptions {
  /**
   * A model file (object or JSON text) or a network already in memory, whose
   * weights are copied when the handler is made: changing them afterwards
   * does not change its answers.
   */
  model: ModelFile | Network | string;
  /**
   * Activations the model uses: custom ones beside the built-ins for
   * `createPredictHandler`; every one, built-in or not, for
   * {@linkcode createModelHandler} (see `registry` for full control).
   */
  plugins?: readonly Plugin[];
  /**
   * Where the model's activations are looked up instead (a Registry, whose
   * plugin checks cost CPU at startup). Default: a plain table of `plugins`
   * (and, for `createPredictHandler`, every built-in activation).
   */
  registry?: Pick<Registry, "get" | "has">;
  /** Name reported by `GET /health` (default: the model file's `name`, else "nagare-model"). */
  name?: string;
  /** Most rows one request may send (default 1000). */
  maxRows?: number;
  /** Largest request body in bytes (default: room for `maxRows` rows of 24-character numbers). */
  maxBodyBytes?: number;
  /**
   * The origin browsers may call from (`"https://app.example.com"`), or `"*"`
   * for any: the handler then answers CORS preflights (`OPTIONS`) and adds
   * `Access-Control-Allow-Origin` to every reply. Default: no CORS headers.
   */
  corsOrigin?: string;
  /**
   * The WebAssembly SIMD kernels (wasm/gemm_simd.wasm) to run each request's
   * batch on: a `WebAssembly.Module`, as runtimes that forbid compiling wasm
   * at run time import one (`import kernels from "./kernels.wasm"` in
   * Cloudflare Workers), or the bytes, compiled here where the runtime allows
   * it (Deno Deploy, Supabase). Default, or when they fail to load (no SIMD,
   * compiling forbidden): the pure TypeScript kernels. `GET /health` says
   * which run, as `kernels`.
   */
  kernels?: WebAssembly.Module | Uint8Array<ArrayBuffer>;
}

/** A fetch-style handler, the contract shared by Workers, Deno, Vercel Edge and Supabase. */
export type PredictHandler = (req: Request) => Promise<Response>;

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Invalid ${field}: ${value} must be a whole number of at least 1`);
  }
  return value;
}

/** The headers every reply carries for `origin`, after checking it is `*` or a bare origin. */
function corsHeaders(origin: string | undefined): Record<string, string> | undefined {
  if (origin === undefined) return undefined;
  if (origin !== "*" && !isOrigin(origin)) {
    throw new TypeError(
      `Invalid corsOrigin: ${
        quote(origin)
      } is not an origin: pass scheme://host[:port] with no path or final slash, e.g. "https://app.example.com", or "*" for any`,
    );
  }
  return { "access-control-allow-origin": origin };
}

/** The reply to a CORS preflight: which methods and headers the route takes, cached for a day. */
function preflight(methods: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-methods": methods,
      "access-control-allow-headers": "content-type",
      "access-control-max-age": "86400",
    },
  });
}

/** The kernels' inference engine, or undefined (TypeScript) when they cannot load here. */
function loadKernels(kernels: PredictHandlerOptions["kernels"]): WasmInference | undefined {
  if (kernels === undefined) return undefined;
  try {
    const module = kernels instanceof WebAssembly.Module
      ? kernels
      : new WebAssembly.Module(kernels);
    return createWasmInference(module, { maxMemoryMiB: 64 });
  } catch {
    return undefined; // no SIMD, or compiling from bytes is forbidden: TypeScript answers alike
  }
}

function loadNetwork(
  options: PredictHandlerOptions,
): { network: Network; name?: string; table?: Table } {
  let model: unknown = options.model;
  if (typeof model === "string") {
    try {
      model = JSON.parse(model);
    } catch {
      // fromModelFile below explains what is wrong with the text
    }
  }
  if (model && typeof model === "object" && "layers" in model && !("format" in model)) {
    // A snapshot: every request answers from the weights the network had now,
    // whichever kernels answer it (the wasm ones keep a copy of their own).
    const live = model as Network;
    const layers = live.layers.map((l) => ({
      ...l,
      weights: l.weights.slice(),
      bias: l.bias.slice(),
    }));
    return { network: { ...live, layers } };
  }
  const registry = options.registry ?? activationTable(options.plugins ?? []);
  const network = fromModelFile(model, { registry });
  const { name, table } = model as ModelFile;
  return { network, ...(name ? { name } : {}), ...(table ? { table: table as Table } : {}) };
}

/** The last path segment, so that `/predict`, `/api/predict` and `/fn-name/predict` all match. */
function routeOf(url: string): string {
  const path = new URL(url).pathname;
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--; // a loop, not a regex: no backtracking on long paths
  return path.slice(path.lastIndexOf("/", end - 1) + 1, end);
}

function notAllowed(method: string, allow: string): HttpError {
  const message = `Method ${clip(method)} is not allowed here: use ${allow}`;
  return new HttpError(405, "method_not_allowed", message, { allow });
}

/** `/health`'s description of the columns a `rows` request gives. */
function describeColumns(
  table: Table,
): { name: string; type: string; values?: readonly string[] }[] {
  return table.columns.map((c) =>
    c.type === "category"
      ? { name: c.name, type: c.type, values: c.values }
      : { name: c.name, type: c.type }
  );
}

function describeTarget(table: Table): { name: string; type: string; classes?: readonly string[] } {
  const t = table.target;
  return t.type === "classes"
    ? { name: t.name, type: t.type, classes: t.classes }
    : { name: t.name, type: t.type };
}

/** Rows of `m` as plain arrays; float32 values become the JSON numbers they are exactly. */
function toRows(m: Mat): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < m.rows; i++) {
    rows.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  }
  return rows;
}

/**
 * Classes of probability outputs: one probability is a yes/no answer; a
 * row-wise (softmax) row is one distribution, whose class is the arg-max;
 * several element-wise probabilities (sigmoid) are separate yes/no answers.
 */
function classesOf(y: Mat, rows: number[][], rowwise: boolean): (number | number[])[] {
  if (y.cols === 1) return rows.map((row) => Number(row[0] > 0.5));
  if (rowwise) return rows.map((_, i) => argmaxRow(y, i));
  return rows.map((row) => row.map((p) => Number(p > 0.5)));
}

/**
 * `createPredictHandler` that knows only the activations in `plugins`, not
 * every built-in one: what a bundle for one model uses, so that it carries
 * only the activations that model needs (`deno task edge:build` generates
 * the call).
 *
 * @example
 * ```ts ignore
 * import { createModelHandler } from "./model_handler.ts";
 * import { relu, softmax } from "../plugins/activations/mod.ts";
 * export default { fetch: createModelHandler({ model, plugins: [relu, softmax] }) };
 * ```
 */
export function createModelHandler(options: PredictHandlerOptions): PredictHandler {
  const { network, name, table } = loadNetwork(options);
  const maxRows = positiveInteger(options.maxRows ?? 1000, "maxRows");
  const maxBodyBytes = positiveInteger(
    options.maxBodyBytes ?? maxRows * (network.inputs * 24 + 4) + 1024,
    "maxBodyBytes",
  );
  const output = network.layers[network.layers.length - 1].activation;
  const classifier = output.probabilities === true;
  const parseInputs = createInputsParser(network.inputs, maxRows);
  const parseRows = table && createRowsParser(table, maxRows);
  const names = table?.target.type === "classes" ? table.target.classes : undefined;
  const cors = corsHeaders(options.corsOrigin);
  const wasm = loadKernels(options.kernels);
  wasm?.keep(network); // the model never changes: its weights are copied in once, not per request
  const health = JSON.stringify({
    status: "ok",
    name: options.name ?? name ?? "nagare-model",
    inputs: network.inputs,
    outputs: network.outputs,
    classifier,
    maxRows,
    kernels: wasm?.name ?? "ts",
    ...(table ? { columns: describeColumns(table), target: describeTarget(table) } : {}),
  });

  const predictRoute = async (req: Request): Promise<Response> => {
    const type = req.headers.get("content-type") ?? "";
    if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
      throw new HttpError(
        415,
        "unsupported_media_type",
        `Content-Type is ${quote(type)}: send JSON with the header Content-Type: application/json`,
      );
    }
    const text = await readBodyText(req, maxBodyBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      // Some engines quote the body in the message: clipped like any echo of it.
      const why = clip((error as Error).message);
      throw new HttpError(
        400,
        "invalid_json",
        `Body is not valid JSON (${why}): send {"inputs": [[...], ...]}`,
      );
    }
    const named = parseRows && typeof body === "object" && body !== null &&
      !Array.isArray(body) && "rows" in body;
    if (named && "inputs" in (body as object)) {
      throw new HttpError(400, "invalid_rows", 'Send "rows" or "inputs", not both');
    }
    const rows = named ? parseRows((body as { rows: unknown }).rows) : undefined;
    // The whole request is one batch: one fused matrix product per layer.
    const x = rows ?? parseInputs(body);
    const y = wasm?.run(network, x) ?? predict(network, x);
    if (table) unscaleOutputs(table, y.data); // a number target in its own units
    const outputs = toRows(y);
    if (!classifier) return jsonResponse({ outputs });
    const classes = classesOf(y, outputs, output.rowwise === true);
    if (!names) return jsonResponse({ outputs, classes });
    // Class names: the arg-max's name, or for one output the second class when above 0.5.
    return jsonResponse({ outputs, classes: classes.map((c) => names[c as number]) });
  };

  const answer = async (req: Request): Promise<Response> => {
    try {
      const route = routeOf(req.url);
      if (cors && req.method === "OPTIONS" && (route === "health" || route === "predict")) {
        return preflight(route === "health" ? "GET, HEAD, OPTIONS" : "POST, OPTIONS");
      }
      if (route === "health") {
        if (req.method !== "GET" && req.method !== "HEAD") throw notAllowed(req.method, "GET");
        const response = jsonResponse(health);
        return req.method === "HEAD" ? new Response(null, { headers: response.headers }) : response;
      }
      if (route === "predict") {
        if (req.method !== "POST") throw notAllowed(req.method, "POST");
        return await predictRoute(req);
      }
      throw new HttpError(
        404,
        "not_found",
        `No route ${clip(new URL(req.url).pathname)}: use POST /predict or GET /health`,
      );
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error);
      const message = error instanceof Error ? error.message : String(error);
      return errorResponse(new HttpError(500, "internal", `Prediction failed: ${message}`));
    }
  };

  return async function predictHandler(req: Request): Promise<Response> {
    const response = await answer(req);
    if (cors) {
      for (const [name, value] of Object.entries(cors)) {
        response.headers.set(name, value);
      }
    }
    return response;
  };
}
