// `deno task worker` reports bad flags and an unreachable Redis as one `error:` line, exit 2.
import assert from "node:assert/strict";
import { main } from "./worker.ts";

async function worker(...args: string[]) {
  const lines: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  return { code, lines };
}

Deno.test("deno task worker: --help, bad flags and an unreachable Redis", async () => {
  const help = await worker("--help");
  assert.equal(help.code, 0);
  assert.match(help.lines[0], /^Train runs from a Redis queue/);
  const cases: [string[], RegExp][] = [
    [[], /^error: --redis: required/],
    [["--redis", "localhost:6379"], /^error: --redis: must be a Redis URL/],
    [
      ["--redis", "redis://127.0.0.1:6379", "--concurrency", "0"],
      /^error: --concurrency: must be a whole number from 1 to 64/,
    ],
    [
      ["--redis", "redis://127.0.0.1:1"],
      /^error: Cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*; start it or fix --redis/,
    ],
  ];
  const saved = Deno.env.get("NAGARE_REDIS_URL");
  Deno.env.delete("NAGARE_REDIS_URL");
  try {
    for (const [args, message] of cases) {
      const r = await worker(...args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.lines.join("\n")}`);
      assert.match(r.lines.at(-1)!, message);
    }
  } finally {
    if (saved !== undefined) Deno.env.set("NAGARE_REDIS_URL", saved);
  }
});
