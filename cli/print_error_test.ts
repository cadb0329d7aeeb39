import assert from "node:assert/strict";
import { isInputError, printError, UsageError } from "./print_error.ts";

function print(error: unknown, context?: string) {
  const lines: string[] = [];
  const code = printError(error, (l) => lines.push(l), context ? { context } : {});
  return { code, lines };
}

Deno.test("printError prints one error: line and returns 2 for bad usage or input", () => {
  const inputs: Error[] = [
    new UsageError("--lr: must be a positive number"),
    new TypeError('Unknown loss "hinge": known losses are mse'),
    new RangeError("Invalid class label: 7 is not one of 0, 1, 2"),
    new Deno.errors.NotFound("Plugin module not found: x.ts"),
    new Deno.errors.IsADirectory("Is a directory"),
    new Deno.errors.PermissionDenied("Requires read access"),
    new Deno.errors.AddrInUse("Address in use"),
  ];
  for (const error of inputs) {
    assert.ok(isInputError(error), error.name);
    assert.deepEqual(print(error), { code: 2, lines: [`error: ${error.message}`] });
  }
  assert.deepEqual(print(new UsageError("port 8000 in use"), "--serve").lines, [
    "error: --serve: port 8000 in use",
  ]);
});

Deno.test("printError returns 1 for an internal failure and prints its stack after the line", () => {
  const { code, lines } = print(new Error("worker crashed"));
  assert.equal(code, 1);
  assert.equal(
    lines[0],
    "error: worker crashed (an internal failure; please report it with this trace)",
  );
  assert.match(lines[1], /^ {4}at .*print_error_test\.ts/);
  assert.deepEqual(print("a thrown string"), {
    code: 1,
    lines: ["error: a thrown string (an internal failure; please report it with this trace)"],
  });
  assert.equal(isInputError(new Error("bug")), false);
});
