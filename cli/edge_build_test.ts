import assert from "node:assert/strict";
import { main, parseEdgeBuildArgs } from "./edge_build.ts";

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

Deno.test("edge:build flags: --max-rows has an upper bound, named with the flag", () => {
  const base = ["--model", "m.json", "--target", "cloudflare"];
  assert.equal(parseEdgeBuildArgs([...base, "--max-rows", "10000"])?.maxRows, 10_000);
  assert.throws(() => parseEdgeBuildArgs([...base, "--max-rows", "10001"]), {
    name: "TypeError",
    message:
      /^--max-rows: 10001 is more than 10,000, the most a bundle takes .*: split larger batches/,
  });
});

Deno.test("edge:build flags: --cors-origin takes an origin or *", () => {
  const base = ["--model", "m.json", "--target", "vercel"];
  assert.equal(
    parseEdgeBuildArgs([...base, "--cors-origin", "https://app.example.com"])?.corsOrigin,
    "https://app.example.com",
  );
  assert.equal(parseEdgeBuildArgs([...base, "--cors-origin", "*"])?.corsOrigin, "*");
  assert.equal(parseEdgeBuildArgs(base)?.corsOrigin, undefined);
  for (const bad of ["https://app.example.com/", "app.example.com", "https://a.com/x"]) {
    assert.throws(() => parseEdgeBuildArgs([...base, "--cors-origin", bad]), {
      name: "TypeError",
      message: /^--cors-origin: ".*" is not an origin: pass scheme:\/\/host\[:port\]/,
    }, bad);
  }
});

function capture() {
  const out: string[] = [], err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

Deno.test("edge:build: a missing model file is one error: line and exit code 2", async () => {
  const { io, out, err } = capture();
  assert.equal(await main(["--model", "nope.json", "--target", "deno"], io), 2);
  assert.deepEqual(err, [
    "error: --model: nope.json: no such file; train one with deno task train or pass its path",
  ]);
  assert.deepEqual(out, []);
  const dir = await Deno.makeTempDir({ prefix: "nagare-edge-cli-" });
  try {
    const folder = capture();
    assert.equal(await main(["--model", dir, "--target", "deno"], folder.io), 2);
    assert.match(folder.err[0], /^error: --model: .*: is a folder; pass the model file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("edge:build: bad flags exit 2 with one error: line", async () => {
  const { io, err } = capture();
  assert.equal(await main(["--model", "m.json", "--target", "aws"], io), 2);
  assert.deepEqual(err, [
    'error: --target: "aws" is unknown: pass one of cloudflare, deno, vercel, supabase',
  ]);
  const big = capture();
  assert.equal(
    await main(["--model", "m.json", "--target", "deno", "--max-rows", "50000"], big.io),
    2,
  );
  assert.match(big.err[0], /^error: --max-rows: 50000 is more than 10,000/);
});

Deno.test("deno task edge:build --model nope.json exits 2 with the error line", async () => {
  const cli = new URL("./edge_build.ts", import.meta.url).pathname;
  const config = new URL("../deno.json", import.meta.url).pathname;
  const run = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--config",
      config,
      "--allow-read",
      cli,
      "--model",
      "nope.json",
      "--target",
      "cloudflare",
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  assert.equal(run.code, 2);
  assert.equal(
    new TextDecoder().decode(run.stderr),
    "error: --model: nope.json: no such file; train one with deno task train or pass its path\n",
  );
});
