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
  /** Commands to deploy the folder, run inside it. */
  deploy(fn: string): string[];
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
    "developers.cloudflare.com/workers/platform/limits: Worker size after compression; startup must take under 1 s; Free allows 10 ms CPU per request",
  deploy: () => ["npx wrangler dev    # local try-out", "npx wrangler deploy"],
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
  deploy: () => [
    "deno serve --allow-net main.js    # local try-out",
    "deno deploy --prod    # Deno Deploy: the entrypoint is main.js, a `deno serve` module",
    "deployctl deploy --entrypoint serve.js    # Deno Deploy Classic (Deno.serve)",
  ],
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
  deploy: () => ["npx vercel dev    # local try-out", "npx vercel deploy --prod"],
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
    "supabase.com/docs/guides/functions/limits: function size after bundling; 2 s CPU per request, 256 MB memory",
  deploy: (fn) => [
    `supabase functions serve ${fn} --no-verify-jwt    # local try-out`,
    `supabase functions deploy ${fn} --no-verify-jwt --project-ref <ref>`,
  ],
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
