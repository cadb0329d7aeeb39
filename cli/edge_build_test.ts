import assert from "node:assert/strict";
import { parseEdgeBuildArgs } from "./edge_build.ts";

Deno.test("edge:build flags: defaults and repeated --plugin", () => {
  assert.deepEqual(
    parseEdgeBuildArgs([
      "--model",
      "m.json",
      "--target",
      "vercel",
      "--plugin",
      "a.ts",
      "--plugin",
      "b.ts",
    ]),
    { model: "m.json", target: "vercel", out: "dist/vercel", plugins: ["a.ts", "b.ts"] },
  );
  assert.deepEqual(
    parseEdgeBuildArgs([
      "--model=m.json",
      "--target=supabase",
      "--out=build",
      "--name=mnist-v2",
      "--max-rows=50",
    ]),
    {
      model: "m.json",
      target: "supabase",
      out: "build",
      plugins: [],
      name: "mnist-v2",
      maxRows: 50,
    },
  );
  assert.equal(parseEdgeBuildArgs(["--help"]), null);
});

Deno.test("edge:build flags: a missing or bad flag is named with the fix", () => {
  const fails = (args: string[], message: RegExp) =>
    assert.throws(() => parseEdgeBuildArgs(args), { name: "TypeError", message });
  fails(["--target", "deno"], /^--model: missing: pass --model path\/to\/model\.json$/);
  fails(["--model", "m.json"], /--target: missing: pass one of cloudflare, deno, vercel, supabase/);
  fails(
    ["--model", "m.json", "--target", "aws"],
    /--target: "aws" is unknown: pass one of cloudflare/,
  );
  fails(
    ["--model", "m.json", "--target", "deno", "--max-rows", "ten"],
    /--max-rows: must be a whole number/,
  );
  fails(
    ["--model", "m.json", "--target", "deno", "--max-rows", "0"],
    /--max-rows: must be a whole number/,
  );
  fails(
    ["--model", "m.json", "--target", "deno", "--name", "My_Model"],
    /--name: use 1-63 lowercase letters/,
  );
  fails(
    ["--model", "m.json", "--target", "deno", "--modle", "x"],
    /Unknown option '--modle'.*; see --help/,
  );
  fails(
    ["--model", "m.json", "--target", "deno", "extra"],
    /Unexpected argument 'extra'.*; see --help/,
  );
  fails(["--model", "--target", "deno"], /Option '--model' argument is ambiguous\. Did you forget/);
});
