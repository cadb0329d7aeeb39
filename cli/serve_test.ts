// `deno task serve` reports bad flags, files and addresses as one `error:` line, exit 2.
import assert from "node:assert/strict";
import { main } from "./serve.ts";

async function serve(...args: string[]) {
  const lines: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  return { code, lines };
}

Deno.test("deno task serve: bad input exits 2 with one error: line naming the flag", async () => {
  const cases: [string[], RegExp][] = [
    [["--port", "x"], /^error: --port: must be a whole number from 0 to 65535, got "x"$/],
    [["--port", "-1"], /^error: --port: must be a whole number from 0 to 65535/],
    [["--max-runs", "-2"], /^error: --max-runs: must be a whole number from 1 to 64/],
    [["--wat"], /^error: Unknown option '--wat'/],
    [
      ["--host", "0.0.0.0", "--port", "0"],
      /^error: Refusing to listen on 0\.0\.0\.0 without a token/,
    ],
    [["--data-dir", "/no/such/folder"], /^error: --data-dir: no folder \/no\/such\/folder/],
    [["--plugin", "/no/such/plugin.ts"], /^error: Plugin module not found/],
  ];
  for (const [args, message] of cases) {
    const r = await serve(...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(r.lines.length, 1, r.lines.join("\n"));
    assert.match(r.lines[0], message);
  }
});

Deno.test("deno task serve: a port in use exits 2 and suggests another", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const { port } = listener.addr as Deno.NetAddr;
    const r = await serve("--port", String(port), "--in-memory");
    assert.equal(r.code, 2);
    assert.match(r.lines.at(-1)!, /^error: The port is in use: .*; pass --port 0 or another port$/);
  } finally {
    listener.close();
  }
});
