import assert from "node:assert/strict";
import { fitLine } from "./least_squares.ts";
import { classifyIris } from "./iris.ts";
import { trainMnist } from "./mnist.ts";
import { fitSine } from "./sine.ts";
import { traceGradients } from "./vanishing_gradient.ts";
import { trainXor } from "./xor.ts";

const ROOT = new URL("../", import.meta.url);

/** The example programs: every examples/*.ts but the tests. */
const PROGRAMS = [...Deno.readDirSync(new URL("./", import.meta.url))]
  .filter((entry) => entry.isFile && /(?<!_test)\.ts$/.test(entry.name))
  .map((entry) => entry.name)
  .sort();

/** What some programs print, beyond exiting with 0. */
const PRINTS: Record<string, RegExp[]> = {
  "concept_drift.ts": [
    /^ 20000 {2}[█·]{40} {2}0\.9\d\d$/m,
    /^ 22000 {2}[█·]{40} {2}0\.\d{3} {2}<- flip$/m,
  ],
  "least_squares.ts": [/learned a = 3\.0\d+, b = .*least squares gives a = 3\.0\d+/],
  "mnist.ts": [/^test accuracy \d+\.\d+% on 1996 digits$/m],
  "vanishing_gradient.ts": [/^\s+1\s+\d\.\d+e-\d+\s+\d/m, /relu: loss .* -> /],
};

/**
 * The `deno` arguments of the "Run: `deno run ...`" line in an example's
 * header comment, without its optional `[arguments]`: the program runs with
 * its defaults and with no permission the line does not give.
 */
function runLine(file: string): string[] {
  const source = Deno.readTextFileSync(new URL(file, import.meta.url));
  const line = source.match(/^ \* Run: `deno (run [^`]+)`$/m);
  assert.ok(line, `${file} has no "Run: \`deno run ...\`" line in its header comment`);
  const args = line[1].split(/\s+/).filter((arg) => !/^\[.*\]$/.test(arg));
  assert.ok(args.includes(`examples/${file}`), `the Run: line of ${file} does not run it`);
  return args;
}

/** Runs `file` from the repository's root exactly as its Run: line says; returns its stdout. */
async function runAsDocumented(file: string): Promise<string> {
  const args = runLine(file);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdin: "null", // no permission prompt: a missing permission is an error
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  assert.equal(code, 0, `deno ${args.join(" ")} exited with ${code}:\n${decode(stderr)}`);
  return decode(stdout);
}

for (const file of PROGRAMS) {
  Deno.test(`${file} runs with exactly the flags of its Run: line`, async () => {
    const out = await runAsDocumented(file);
    for (const pattern of PRINTS[file] ?? []) assert.match(out, pattern);
  });
}

Deno.test("the Run: line tests cover the example programs", () => {
  for (const file of Object.keys(PRINTS)) assert.ok(PROGRAMS.includes(file), `${file} not found`);
});

Deno.test("least_squares: gradient descent finds the least-squares slope", () => {
  const { a, exact } = fitLine();
  assert.ok(Math.abs(a - exact) < 1e-3, `a = ${a}, exact = ${exact}`);
  assert.ok(Math.abs(a - 3) < 0.1);
});

Deno.test("xor: a hidden layer solves XOR", async () => {
  assert.deepEqual((await trainXor({ epochs: 300 })).map(Math.round), [0, 1, 1, 0]);
});

Deno.test("sine: the network follows sin(x) closely after a short run", async () => {
  const { maxError } = await fitSine({ epochs: 30 });
  assert.ok(maxError < 0.25, `max error ${maxError}`);
});

Deno.test("iris: most held-out flowers are classified right", async () => {
  const { accuracy } = await classifyIris({ epochs: 20 });
  assert.ok(accuracy >= 0.85, `accuracy ${accuracy}`);
});

Deno.test("mnist: one epoch already reads most test digits", async () => {
  const test = await trainMnist({ epochs: 1 });
  assert.equal(test.samples, 1996);
  assert.ok(test.accuracy! > 0.85, `accuracy ${test.accuracy}`);
});

Deno.test("vanishing_gradient: sigmoid gradients shrink toward the input, ReLU's do not", () => {
  const sig = traceGradients("sigmoid", { steps: 1 }), relu = traceGradients("relu", { steps: 1 });
  assert.equal(sig.gradNorms.length, 9);
  assert.ok(sig.gradNorms[0] < sig.gradNorms[8] / 1000, `sigmoid ${sig.gradNorms}`);
  assert.ok(relu.gradNorms[0] > relu.gradNorms[8] / 10, `relu ${relu.gradNorms}`);
});
