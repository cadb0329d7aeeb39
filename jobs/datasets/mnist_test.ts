import assert from "node:assert/strict";
import { isMnistTest, loadMnist, MNIST_PIXELS, splitMnist } from "./mnist.ts";

Deno.test("mnist splits 8,004 train and 1,996 test samples", async () => {
  const { train, test } = await loadMnist();
  assert.equal(train.rows, 8004);
  assert.equal(test?.rows, 1996);
  assert.equal(train.x.length, 8004 * 784);
  assert.equal(test?.y.length, 1996 * 10);
});

Deno.test("mnist test samples are those whose index within their digit is 4 mod 5", async () => {
  const files = await Promise.all(
    Array.from(
      { length: 10 },
      (_, d) => import(`mnist/src/digits/${d}.json`, { with: { type: "json" } }),
    ),
  );
  const digits: number[][] = files.map((f) => f.default.data);
  const { train, test } = splitMnist(digits);
  let iTrain = 0, iTest = 0;
  digits.forEach((data, digit) => {
    const n = data.length / MNIST_PIXELS;
    for (let i = 0; i < n; i++) {
      const to = isMnistTest(i) ? test! : train;
      const row = isMnistTest(i) ? iTest++ : iTrain++;
      // Spot-check one pixel row in eight; all labels.
      if (i % 8 === 0) {
        const got = Array.from(to.x.subarray(row * 784, row * 784 + 784));
        const want = Array.from(Float32Array.from(data.slice(i * 784, i * 784 + 784)));
        assert.deepEqual(got, want, `digit ${digit} sample ${i}`);
      }
      assert.equal(to.y[row * 10 + digit], 1, `digit ${digit} sample ${i} label`);
    }
    assert.ok(n >= 863 && n <= 1127, `digit ${digit} has ${n} samples`);
  });
  assert.equal(iTest, 1996);
  assert.equal(iTrain, 8004);
});

Deno.test("splitMnist rejects a file whose length is not a multiple of 784", () => {
  assert.throws(() => splitMnist([[1, 2, 3]]), /digit 0: 3 values is not a multiple of 784/);
});

Deno.test("isMnistTest picks every fifth sample starting at index 4", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 9, 14].map(isMnistTest), [
    false,
    false,
    false,
    false,
    true,
    false,
    true,
    true,
  ]);
});

Deno.test("mnist read from the files as text equals the JSON modules split by splitMnist", async () => {
  const files = await Promise.all(
    Array.from(
      { length: 10 },
      (_, d) => import(`mnist/src/digits/${d}.json`, { with: { type: "json" } }),
    ),
  );
  const modules = splitMnist(files.map((f) => f.default.data));
  const read = await loadMnist();
  assert.deepEqual(read.train.x, modules.train.x);
  assert.deepEqual(read.train.y, modules.train.y);
  assert.deepEqual(read.test?.x, modules.test?.x);
  assert.deepEqual(read.test?.y, modules.test?.y);
});
