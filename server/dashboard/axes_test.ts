import assert from "node:assert/strict";
import { INTEGER_INCRS, integerLabels, linearLabels, logLabels } from "./axes.js";

Deno.test("linear tick labels stay distinct where three decimals would repeat them", () => {
  assert.deepEqual(linearLabels([0, 0.0005, 0.001, 0.0015, 0.002]), [
    "0",
    "0.0005",
    "0.001",
    "0.0015",
    "0.002",
  ]);
  assert.deepEqual(linearLabels([0.2, 0.4, 0.6]), ["0.2", "0.4", "0.6"]);
  assert.deepEqual(linearLabels([1e-5, 2e-5]), ["1e-5", "2e-5"]);
});

Deno.test("linear tick labels read a float's rounding noise near zero as 0", () => {
  assert.deepEqual(linearLabels([-0.1, 2.7755575615628914e-17, 0.1]), ["-0.1", "0", "0.1"]);
});

Deno.test("log tick labels name each power of ten once and leave the ticks between blank", () => {
  assert.deepEqual(logLabels([1, 2, 5, 10, 20, 50, 100]), ["10⁰", "", "", "10¹", "", "", "10²"]);
  assert.deepEqual(logLabels([0.001, 0.01]), ["10⁻³", "10⁻²"]);
});

Deno.test("log tick labels within one decade fall back to distinct plain numbers", () => {
  assert.deepEqual(logLabels([2, 3, 4, 5]), ["2", "3", "4", "5"]);
});

Deno.test("epoch axes tick only at whole numbers", () => {
  assert.deepEqual(integerLabels([1, 1.5, 2, 2.5]), ["1", "", "2", ""]);
  assert.ok(INTEGER_INCRS.every(Number.isInteger));
  assert.deepEqual(INTEGER_INCRS.slice(0, 4), [1, 2, 5, 10]);
});
