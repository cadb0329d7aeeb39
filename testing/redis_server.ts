// Starts a throwaway redis-server on a free loopback port for the multi-node tests, and
// stops it by its pid. Where redis-server is missing the tests that need it are skipped
// with a message, except in CI (NAGARE_REQUIRE_REDIS=1, set by .ci/run), where they fail.

/** A running Redis for one test. */
export interface TestRedis {
  readonly url: string;
  stop(): Promise<void>;
}

/** The redis-server binary, if this machine has one. */
export function redisServerPath(): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").concat("/usr/bin", "/usr/sbin")) {
    try {
      if (Deno.statSync(`${dir}/redis-server`).isFile) return `${dir}/redis-server`;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** True when the Redis tests must run (CI), so a missing redis-server is a failure. */
const required = () => Deno.env.get("NAGARE_REQUIRE_REDIS") === "1";

/**
 * `ignore` for Deno.test: true (with a message) where redis-server is missing,
 * unless Redis is required here.
 */
export function withoutRedis(): boolean {
  if (redisServerPath() || required()) return false;
  console.error("skipping the Redis tests: no redis-server (apt-get install -y redis-server)");
  return true;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Starts redis-server without persistence on a free port and waits for it to answer. */
export async function startRedis(): Promise<TestRedis> {
  const path = redisServerPath();
  if (!path) {
    throw new Error(
      "redis-server is missing: CI must install it (apt-get install -y redis-server)",
    );
  }
  const port = freePort();
  const child = new Deno.Command(path, {
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await conn.write(new TextEncoder().encode("PING\r\n"));
      const buffer = new Uint8Array(16);
      const n = await conn.read(buffer);
      conn.close();
      if (n && new TextDecoder().decode(buffer.subarray(0, n)).startsWith("+PONG")) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not answer on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      Deno.kill(child.pid, "SIGKILL");
      await child.status;
    },
  };
}
