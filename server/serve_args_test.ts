import assert from "node:assert/strict";
import { parseServeArgs } from "./serve_args.ts";

Deno.test("serve defaults: loopback, port 8000, two runs at once, runs kept in .nagare, no token, no CORS", () => {
  assert.deepEqual(parseServeArgs([], {}), {
    host: "127.0.0.1",
    port: 8000,
    maxRuns: 2,
    maxRunMiB: 2048,
    stateDir: ".nagare",
    keepRuns: 100,
    train: true,
    corsOrigins: [],
    plugins: [],
    help: false,
  });
});

Deno.test("serve flags are parsed, repeatable ones collected", () => {
  const args = parseServeArgs([
    "--host",
    "0.0.0.0",
    "--port",
    "0",
    "--token",
    "long-secret",
    "--data-dir",
    "data",
    "--max-runs",
    "4",
    "--max-run-mib",
    "4096",
    "--cors-origin",
    "https://lab.example",
    "--cors-origin",
    "http://localhost:5173",
    "--plugin",
    "a.ts",
    "--plugin",
    "b.ts",
    "--in-memory",
    "--keep-runs",
    "5",
    "--keep-days",
    "30",
  ], {});
  assert.deepEqual(args, {
    host: "0.0.0.0",
    port: 0,
    token: "long-secret",
    dataDir: "data",
    maxRuns: 4,
    maxRunMiB: 4096,
    keepRuns: 5,
    train: true,
    keepDays: 30,
    corsOrigins: ["https://lab.example", "http://localhost:5173"],
    plugins: ["a.ts", "b.ts"],
    help: false,
  });
});

Deno.test("the token may come from NAGARE_TOKEN; the flag wins", () => {
  assert.equal(parseServeArgs([], { NAGARE_TOKEN: "from-the-env" }).token, "from-the-env");
  assert.equal(
    parseServeArgs(["--token", "from-the-flag"], { NAGARE_TOKEN: "from-the-env" }).token,
    "from-the-flag",
  );
});

Deno.test("bad serve flags are TypeErrors naming the flag and the fix", () => {
  const message = (args: string[], env = {}) => {
    try {
      parseServeArgs(args, env);
      return "accepted";
    } catch (error) {
      assert.ok(error instanceof TypeError);
      return error.message;
    }
  };
  assert.equal(
    message(["--port", "http"]),
    '--port: must be a whole number from 0 to 65535, got "http"',
  );
  assert.equal(
    message(["--port", "70000"]),
    "--port: must be a whole number from 0 to 65535, got 70000",
  );
  assert.equal(
    message(["--max-runs", "0"]),
    "--max-runs: must be a whole number from 1 to 64, got 0",
  );
  assert.equal(
    message(["--max-run-mib", "8"]),
    "--max-run-mib: must be a whole number from 16 to 1048576, got 8",
  );
  assert.match(message(["--token", "short"]), /^--token: must be at least 8 characters/);
  assert.match(message([], { NAGARE_TOKEN: "short" }), /^NAGARE_TOKEN: must be at least 8/);
  assert.match(
    message(["--cors-origin", "https://lab.example/"]),
    /^--cors-origin: must be an origin/,
  );
  assert.match(message(["--cors-origin", "*"]), /^--cors-origin: must be an origin/);
  assert.match(message(["--prot", "1"]), /Unknown option '--prot'.*--help/);
  assert.match(message(["extra"]), /positional.*--help/i);
});

Deno.test("--redis (or NAGARE_REDIS_URL) shares runs through Redis; --no-train needs it", () => {
  const url = "redis://127.0.0.1:6379";
  assert.equal(parseServeArgs(["--redis", url], {}).redis, url);
  assert.equal(parseServeArgs([], { NAGARE_REDIS_URL: url }).redis, url);
  assert.equal(parseServeArgs(["--redis", url, "--no-train"], {}).train, false);
  assert.throws(() => parseServeArgs(["--no-train"], {}), /--no-train: only with --redis/);
  assert.throws(
    () => parseServeArgs(["--redis", "localhost:6379"], {}),
    /--redis: must be a Redis URL such as redis:\/\/127\.0\.0\.1:6379/,
  );
});
