import assert from "node:assert/strict";
import { differences, letterOf, settingsOf } from "./run_identity.js";

const base = {
  dataset: "iris",
  layers: [{ units: 8, activation: "relu" }, { units: 3, activation: "softmax" }],
  loss: "crossEntropy",
  optimizer: { name: "adam" },
  lr: 0.01,
  batchSize: 16,
  epochs: 40,
  seed: 42,
  out: "model.json",
};

Deno.test("overlaid runs are labelled by the settings that differ between them", () => {
  assert.deepEqual(differences([base, { ...base, lr: 0.3 }]), ["lr 0.01", "lr 0.3"]);
  assert.deepEqual(
    differences([base, { ...base, lr: 0.3, batchSize: 32 }, base]),
    ["lr 0.01 · batch 16", "lr 0.3 · batch 32", "lr 0.01 · batch 16"],
  );
  assert.deepEqual(differences([base, { ...base, dataset: "xor" }]), ["iris", "xor"]);
});

Deno.test("a run alone, or runs alike, have no differences to name", () => {
  assert.deepEqual(differences([base]), [""]);
  assert.deepEqual(differences([base, { ...base, out: "other.json" }]), ["", ""]);
});

Deno.test("a config reads as short settings: layers as units:activation, plugins by name", () => {
  const settings = settingsOf(base);
  assert.equal(settings.layers, "8:relu,3:softmax");
  assert.equal(settings.optimizer, "adam");
  assert.equal(settings.out, undefined);
});

Deno.test("run letters go A to Z, then AA", () => {
  assert.deepEqual([0, 1, 25, 26, 27, 51, 52].map(letterOf), [
    "A",
    "B",
    "Z",
    "AA",
    "AB",
    "AZ",
    "BA",
  ]);
});
