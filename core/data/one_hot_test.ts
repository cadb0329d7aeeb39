import assert from "node:assert/strict";
import { oneHot } from "./one_hot.ts";

const mat = (rows: number, cols: number, values: number[]) => ({
  data: new Float32Array(values),
  rows,
  cols,
});

Deno.test("oneHot turns labels into one-hot rows, by index or by label value", () => {
  const step = oneHot(3).create({ inputs: 1, outputs: 1 }, 4);
  assert.deepEqual(step.widths, { inputs: 1, outputs: 3 });
  const out = step.apply({ x: mat(2, 1, [9, 9]), t: mat(2, 1, [2, 0]) });
  assert.deepEqual([...out.t.data.subarray(0, 6)], [0, 0, 1, 1, 0, 0]);
  const byValue = oneHot([5, 7]).create({ inputs: 1, outputs: 1 }, 1);
  assert.deepEqual([...byValue.apply({ x: mat(1, 1, [0]), t: mat(1, 1, [7]) }).t.data], [0, 1]);
});

Deno.test("oneHot rejects unknown labels and several target columns", () => {
  const step = oneHot(2).create({ inputs: 1, outputs: 1 }, 1);
  assert.throws(() => step.apply({ x: mat(1, 1, [0]), t: mat(1, 1, [4]) }), {
    name: "RangeError",
    message:
      'Invalid class label: 4 is not one of the 2 classes 0, 1, one per unit of the last layer: give the last layer 5 units or more, one per class (e.g. --layers "...,5:softmax", or oneHot(5) in the API)',
  });
  for (const label of [-1, 0.5]) {
    assert.throws(() => step.apply({ x: mat(1, 1, [0]), t: mat(1, 1, [label]) }), {
      name: "RangeError",
      message:
        `Invalid class label: ${label} is not one of the 2 classes 0, 1, one per unit of the last layer: labels are whole numbers from 0 to 1; recode the target column as 0, 1, 2, ...`,
    });
  }
  const byValue = oneHot([3, 5, 8]).create({ inputs: 1, outputs: 1 }, 1);
  assert.throws(() => byValue.apply({ x: mat(1, 1, [0]), t: mat(1, 1, [4]) }), {
    name: "RangeError",
    message:
      "Invalid class label: 4 is not one of the 3 classes 3, 5, 8: add it to oneHot's labels and give the last layer one unit per label",
  });
  assert.throws(() => oneHot(2).create({ inputs: 1, outputs: 2 }, 1), { name: "TypeError" });
  assert.throws(() => oneHot(1), { name: "RangeError" });
});
