/** The platforms `edge:build` writes a deployable folder for. */
export const TARGETS = ["cloudflare", "deno", "vercel", "supabase"] as const;
/** One of {@linkcode TARGETS}. */
export type TargetName = typeof TARGETS[number];

/** A code size limit a platform documents. Sizes are decimal (1 MB = 1,000,000 bytes), the strict reading. */
export interface SizeLimit {
  readonly plan: string;
  readonly bytes: number;
  /** Whether the platform measures the gzip-compressed code or the raw bytes. */
  readonly measure: "gzip" | "raw";
}

/**
 * A CPU-time limit per request, as the platform documents it (or, where it
 * documents none, the assumption stated in `note`).
 */
export interface CpuLimit {
  readonly plan: string;
  /** CPU milliseconds one request may use. */
  readonly ms: number;
  /** What else to know: a default that can be raised, or that the figure is assumed. */
  readonly note?: string;
}

/**
 * How a bundle carries the WebAssembly SIMD kernels: `"import"` a .wasm file
 * beside it as a module (`import kernels from "./kernels.wasm"`, compiled by
 * the platform at deploy), `"embed"` its bytes in the bundle (compiled at
 * startup, where the runtime allows it), or `"none"` (pure TypeScript).
 */
export type KernelShipping = "import" | "embed" | "none";

/** How one platform lays out a deployable folder. */
export interface Target {
  readonly name: TargetName;
  readonly title: string;
  /** Where the bundle goes inside the output folder. */
  bundlePath(fn: string): string;
  /** Other files of the folder: path inside it → text. */
  files(fn: string): Record<string, string>;
  readonly limits: readonly SizeLimit[];
  /** Where the limits come from, and other limits worth knowing. */
  readonly limitsNote: string;
  /** CPU time per request, strictest plan first: `edge:build` sizes batches to fit. */
  readonly cpuLimits: readonly CpuLimit[];
  /** Where the CPU limits come from. */
  readonly cpuNote: string;
  /** Commands to deploy the folder, run inside it. */
  deploy(fn: string): string[];
  /** How the bundle ships the wasm kernels; the handler falls back to TypeScript when they fail to load. */
  readonly kernels: KernelShipping;
  /** Why that way: what the platform allows. */
  readonly kernelsNote: string;
}

/** Workers reject dates newer than their runtime; this one is old enough for any current wrangler. */
export const COMPATIBILITY_DATE = "2025-06-01";

const MB = 1_000_000;
const edgeWrapper = (bundle: string) =>
  `import app from "./${bundle}";\n\nexport const config = { runtime: "edge" };\n\nexport default (request) => app.fetch(request);\n`;

const cloudflare: Target = {
  name: "cloudflare",
  title: "Cloudflare Workers",
  bundlePath: () => "worker.js",
  files: (fn) => ({
    "wrangler.toml":
      `name = "${fn}"\nmain = "worker.js"\ncompatibility_date = "${COMPATIBILITY_DATE}"\n`,
  }),
  limits: [
    { plan: "Workers Free", bytes: 3 * MB, measure: "gzip" },
    { plan: "Workers Paid", bytes: 10 * MB, measure: "gzip" },
  ],
  limitsNote:
    "developers.cloudflare.com/workers/platform/limits: Worker size after compression; startup must take under 1 s",
  // developers.cloudflare.com/workers/platform/limits/#cpu-time: Free 10 ms; Paid 30 s by
  // default, raised up to 5 min with limits.cpu_ms (changelog 2025-03-25, "higher CPU limits").
  cpuLimits: [
    { plan: "Workers Free", ms: 10 },
    {
      plan: "Workers Paid",
      ms: 30_000,
      note: "the default; limits.cpu_ms in wrangler.toml raises it to 5 min",
    },
  ],
  cpuNote: "developers.cloudflare.com/workers/platform/limits (CPU time)",
  deploy: () => ["npx wrangler dev    # local try-out", "npx wrangler deploy"],
  kernels: "import",
  kernelsNote:
    "Workers forbid compiling wasm at run time; wrangler uploads an imported .wasm as a compiled module",
};

const deno: Target = {
  name: "deno",
  title: "Deno Deploy",
  bundlePath: () => "main.js",
  files: () => ({
    "serve.js": 'import app from "./main.js";\n\nDeno.serve((request) => app.fetch(request));\n',
  }),
  limits: [{ plan: "Deno Deploy (whole deployment)", bytes: 1000 * MB, measure: "raw" }],
  limitsNote:
    "docs.deno.com/deploy/pricing_and_limits: all files of a deployment under 1 GB; 512 MB memory",
  // The current Deno Deploy (docs.deno.com/deploy) documents no CPU limit per request; Deploy
  // Classic and Subhosting (docs.deno.com/subhosting/manual/pricing_and_limits) allow 50 ms or
  // 200 ms by tier, averaged over requests. Those figures are assumed here, and said so.
  cpuLimits: [
    { plan: "free tier", ms: 50, note: "assumed: Deploy Classic's figure" },
    { plan: "paid tier", ms: 200, note: "assumed: Deploy Classic's figure" },
  ],
  cpuNote:
    "docs.deno.com/subhosting/manual/pricing_and_limits (Deploy Classic and Subhosting; the current Deno Deploy documents no CPU limit per request)",
  deploy: () => [
    "deno serve --allow-net main.js    # local try-out",
    "deno deploy --prod    # Deno Deploy: the entrypoint is main.js, a `deno serve` module",
    "deployctl deploy --entrypoint serve.js    # Deno Deploy Classic (Deno.serve)",
  ],
  kernels: "embed",
  kernelsNote: "Deno compiles wasm bytes at run time; one file stays one deployable module",
};

const vercel: Target = {
  name: "vercel",
  title: "Vercel Edge Functions",
  bundlePath: () => "api/_nagare.js",
  files: () => ({
    "package.json": '{ "private": true, "type": "module" }\n',
    "api/predict.js": edgeWrapper("_nagare.js"),
    "api/health.js": edgeWrapper("_nagare.js"),
  }),
  limits: [
    { plan: "Hobby", bytes: 1 * MB, measure: "gzip" },
    { plan: "Pro", bytes: 2 * MB, measure: "gzip" },
    { plan: "Enterprise", bytes: 4 * MB, measure: "gzip" },
  ],
  limitsNote:
    "vercel.com/docs/functions/limitations: Edge runtime size after gzip, per function; routes are /api/predict and /api/health",
  // vercel.com/docs/functions/limitations: the Edge runtime bills CPU time but documents no
  // CPU limit; a function must begin its response within 25 s, which bounds its CPU too.
  cpuLimits: [{
    plan: "Edge runtime",
    ms: 25_000,
    note: "assumed: no CPU limit is documented, but the response must begin within 25 s",
  }],
  cpuNote: "vercel.com/docs/functions/limitations (maximum duration)",
  deploy: () => ["npx vercel dev    # local try-out", "npx vercel deploy --prod"],
  kernels: "none",
  kernelsNote:
    "the Edge runtime forbids compiling wasm at run time and imports .wasm only through Vercel's own bundler (`?module`), which this build does not run",
};

const supabase: Target = {
  name: "supabase",
  title: "Supabase Edge Functions",
  bundlePath: (fn) => `supabase/functions/${fn}/nagare.js`,
  files: (fn) => ({
    [`supabase/functions/${fn}/index.ts`]:
      'import app from "./nagare.js";\n\nDeno.serve((request: Request) => app.fetch(request));\n',
  }),
  limits: [
    { plan: "bundled by the CLI", bytes: 20 * MB, measure: "raw" },
    { plan: "bundled server-side (API, dashboard)", bytes: 5 * MB, measure: "raw" },
  ],
  limitsNote:
    "supabase.com/docs/guides/functions/limits: function size after bundling; 256 MB memory",
  // supabase.com/docs/guides/functions/limits: "Maximum CPU Time: 2s" per request, all plans.
  cpuLimits: [{ plan: "all plans", ms: 2_000 }],
  cpuNote: "supabase.com/docs/guides/functions/limits (maximum CPU time)",
  deploy: (fn) => [
    `supabase functions serve ${fn} --no-verify-jwt    # local try-out`,
    `supabase functions deploy ${fn} --no-verify-jwt --project-ref <ref>`,
  ],
  kernels: "embed",
  kernelsNote: "the Supabase Edge Runtime (Deno) compiles wasm bytes at run time",
};

/**
 * Every target by name.
 *
 * @example
 * ```ts
 * import { targets } from "./targets.ts";
 * targets.cloudflare.bundlePath("mnist"); // "worker.js"
 * Object.keys(targets.vercel.files("mnist")); // ["package.json", "api/predict.js", "api/health.js"]
 * ```
 */
export const targets: Readonly<Record<TargetName, Target>> = { cloudflare, deno, vercel, supabase };
