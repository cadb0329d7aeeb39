import assert from "node:assert/strict";
import { main } from "./plugin_check.ts";

async function run(...args: string[]) {
  const out: string[] = [], err: string[] = [];
  const status = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { status, out: out.join("\n"), err: err.join("\n") };
}

Deno.test("plugin:check passes the bent identity example and prints a line per check", async () => {
  const { status, out } = await run("./examples/plugins/bent_identity.ts");
  assert.equal(status, 0);
  assert.match(
    out,
    /^myorg\/bentIdentity {2}activation 1\.0\.0 {2}\(\.\/examples\/plugins\/bent_identity\.ts\)$/m,
  );
  for (const check of ["shape", "pure", "finite", "gradient"]) {
    assert.match(out, new RegExp(`^  pass  ${check}`, "m"));
  }
  assert.match(out, /gradient {2}24 points, worst relative error \S+ at x = \S+$/m);
  assert.match(out, /^ {2}fingerprint fnv1a64:[0-9a-f]{16}$/m);
  assert.match(out, /^ {2}time \d+\.\d ms$/m);
  assert.match(out, /1 plugin checked: all passed$/);
});

Deno.test("plugin:check fails wrong plugins with exit status 1 and says why", async () => {
  const { status, out } = await run("./core/_testing/bad_plugins.ts");
  assert.equal(status, 1);
  assert.match(
    out,
    /FAIL {2}gradient {2}Gradient check failed: derivative of "myorg\/swish" at x = /,
  );
  assert.match(out, /FAIL {2}finite {4}Non-finite output from "myorg\/naiveSwish"/);
  assert.match(out, /FAIL {2}pure {6}Impure plugin "myorg\/noisyIdentity"/);
  assert.match(out, /6 plugins checked: 6 failed$/);
});

Deno.test("plugin:check --json prints one object with the worst gradient point", async () => {
  const { status, out } = await run("--json", "./examples/plugins/bent_identity.ts");
  assert.equal(status, 0);
  const report = JSON.parse(out);
  assert.equal(report.ok, true);
  assert.equal(report.plugins[0].name, "myorg/bentIdentity");
  const gradient = report.plugins[0].checks.find((c: { check: string }) => c.check === "gradient");
  assert.ok(gradient.worst.relError < 1e-6);
  assert.equal(report.registry.ok, true);
});

Deno.test("plugin:check refuses a name taken by a built-in", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const core = new URL("../core/math/elementwise.ts", import.meta.url).href;
    const path = `${dir}/relu.ts`;
    await Deno.writeTextFile(
      path,
      `import { elementwise } from ${JSON.stringify(core)};\n` +
        `export default elementwise({ name: "relu", f: (x) => x, df: () => 1 });\n`,
    );
    const { status, out } = await run(path);
    assert.equal(status, 1);
    assert.match(
      out,
      /registry {2}FAIL {2}Duplicate activation "relu": a different plugin already has this name/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plugin:check bad usage or input exits 2 with one error: line", async () => {
  const none = await run();
  assert.equal(none.status, 2);
  assert.match(none.err, /^error: Missing plugin module: pass its path/);
  const flag = await run("--nope", "x.ts");
  assert.equal(flag.status, 2);
  assert.match(flag.err, /^error: Unknown option '--nope'.*; see --help$/);
  const missing = await run("./no_such_plugin.ts");
  assert.equal(missing.status, 2);
  assert.match(missing.err, /^error: Plugin module not found: \.\/no_such_plugin\.ts/);
  const folder = await run("./examples");
  assert.equal(folder.status, 2);
  assert.match(folder.err, /^error: Invalid plugin path "\.\/examples": it is a directory/);
  for (const r of [none, flag, missing, folder]) assert.equal(r.err.split("\n").length, 1);
  assert.equal((await run("--help")).status, 0);
});

Deno.test("plugin:check: a module that does not import or exports no plugin exits 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/broken.ts`, "export const x = ;\n");
    await Deno.writeTextFile(`${dir}/empty.ts`, "export const x = 1;\n");
    const broken = await run(`${dir}/broken.ts`);
    assert.equal(broken.status, 2);
    assert.match(broken.err, /^error: Cannot import plugin module .*broken\.ts: /);
    const empty = await run(`${dir}/empty.ts`);
    assert.equal(empty.status, 2);
    assert.match(empty.err, /^error: .*empty\.ts/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
