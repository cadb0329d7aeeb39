import assert from "node:assert/strict";
import { fitLine } from "./least_squares.ts";
import { classifyIris } from "./iris.ts";
import { trainMnist } from "./mnist.ts";
import { fitSine } from "./sine.ts";
import { traceGradients } from "./vanishing_gradient.ts";
import { trainXor } from "./xor.ts";

async function run(file: string): Promise<string> {
  const url = new URL(file, import.meta.url);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--config",
      new URL("../deno.json", import.meta.url).pathname,
      url.pathname,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return new TextDecoder().decode(stdout);
}

Deno.test("least_squares: gradient descent finds the least-squares slope", () => {
  const { a, exact } = fitLine();
  assert.ok(Math.abs(a - exact) < 1e-3, `a = ${a}, exact = ${exact}`);
  assert.ok(Math.abs(a - 3) < 0.1);
});

Deno.test("least_squares runs as a program and prints the slope", async () => {
  assert.match(
    await run("./least_squares.ts"),
    /learned a = 3\.0\d+, b = .*least squares gives a = 3\.0\d+/,
  );
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

Deno.test("vanishing_gradient runs as a program and prints a table per layer", async () => {
  const out = await run("./vanishing_gradient.ts");
  assert.match(out, /^\s+1\s+\d\.\d+e-\d+\s+\d/m);
  assert.match(out, /relu: loss .* -> /);
});
