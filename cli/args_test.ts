import assert from "node:assert/strict";
import * as v from "valibot";
import { RunConfigSchema } from "../jobs/run_config.ts";
import { FLAG_OF_FIELD } from "./_help.ts";
import { HELP, parseCli, parseFlags, parseLayers, UsageError } from "./args.ts";

const files = (map: Record<string, unknown>) => (path: string): Promise<string> =>
  path in map
    ? Promise.resolve(
      typeof map[path] === "string" ? map[path] as string : JSON.stringify(map[path]),
    )
    : Promise.reject(new Deno.errors.NotFound(path));

async function usageError(argv: string[], read = files({})): Promise<string> {
  const e = await parseCli(argv, read).then(() => undefined, (e) => e);
  assert.ok(e instanceof UsageError, `expected a UsageError, got ${e}`);
  return e.message;
}

Deno.test("no flags give the default job", async () => {
  const cli = await parseCli([]);
  assert.equal(cli.config.dataset, "mnist");
  assert.deepEqual(cli.config.layers?.map((l) => l.units), [128, 64, 10]);
  assert.deepEqual([cli.json, cli.quiet, cli.help, cli.plugins], [false, false, false, []]);
});

Deno.test("flags map to run-config fields", () => {
  const p = parseFlags([
    "--dataset=iris",
    "--layers",
    "8:tanh,3:softmax",
    "--lr",
    "0.01",
    "--batch-size",
    "16",
    "--validation-split",
    "0.25",
    "--seed",
    "7",
    "--optimizer",
    "sgd",
    "--loss",
    "crossEntropy",
    "--epochs",
    "3",
    "--out",
    "m.json",
    "--plugin",
    "a.ts",
    "--plugin",
    "b.ts",
    "--json",
    "-q",
  ]);
  assert.deepEqual(p.fields, {
    dataset: "iris",
    layers: [{ units: 8, activation: "tanh" }, { units: 3, activation: "softmax" }],
    lr: 0.01,
    batchSize: 16,
    validationSplit: 0.25,
    seed: 7,
    optimizer: "sgd",
    loss: "crossEntropy",
    epochs: 3,
    out: "m.json",
  });
  assert.deepEqual([p.plugins, p.json, p.quiet], [["a.ts", "b.ts"], true, true]);
});

Deno.test("--backend and --workers set the speed fields, checked like the others", async () => {
  assert.deepEqual(parseFlags(["--backend", "ts", "--workers", "2"]).fields, {
    backend: "ts",
    workers: 2,
  });
  await assert.rejects(parseCli(["--backend", "gpu"], files({})), {
    message: '--backend: must be "auto", "ts" or "wasm"',
  });
  await assert.rejects(parseCli(["--workers", "0"], files({})), {
    message: "--workers: must be at least 1",
  });
});

Deno.test("--warmup-steps sets warmupSteps, a whole number of steps", async () => {
  assert.deepEqual(parseFlags(["--warmup-steps", "100"]).fields, { warmupSteps: 100 });
  const { config } = await parseCli(["--warmup-steps", "100"], files({}));
  assert.equal(config.warmupSteps, 100);
  await assert.rejects(parseCli(["--warmup-steps", "2.5"], files({})), {
    message: "--warmup-steps: must be a whole number of steps, e.g. 100",
  });
  await assert.rejects(parseCli(["--warmup-steps=-1"], files({})), {
    message: "--warmup-steps: must be 0 or more",
  });
});

Deno.test("--data picks csv or ndjson from the extension", () => {
  assert.deepEqual(parseFlags(["--data", "d.csv", "--target", "label"]).fields.dataset, {
    csv: "d.csv",
    target: "label",
  });
  assert.deepEqual(parseFlags(["--data", "d.ndjson"]).fields.dataset, { ndjson: "d.ndjson" });
});

Deno.test("flags override the config file, which overrides the defaults", async () => {
  const read = files({ "run.json": { dataset: "xor", epochs: 50, lr: 0.2, seed: 1 } });
  const { config } = await parseCli(["--config", "run.json", "--epochs", "5"], read);
  assert.equal(config.dataset, "xor"); // from the file
  assert.equal(config.lr, 0.2); // from the file, over the xor preset
  assert.equal(config.epochs, 5); // the flag wins
  assert.equal(config.batchSize, 4); // the xor preset fills the rest
  assert.equal(config.out, "model.json"); // global default
});

Deno.test("--target completes a csv dataset from the config file", async () => {
  const read = files({
    "run.json": { dataset: { csv: "a.csv", target: "x" }, layers: [{ units: 1 }] },
  });
  const { config } = await parseCli(["--config", "run.json", "--target", "y"], read);
  assert.deepEqual(config.dataset, { csv: "a.csv", target: "y" });
});

Deno.test("bad flags are errors naming the flag and the fix", async () => {
  assert.equal(await usageError(["--epochs", "0"]), "--epochs: must be at least 1");
  assert.equal(
    await usageError(["--lr", "fast"]),
    '--lr: "fast" is not a number; pass e.g. --lr 0.1',
  );
  assert.match(await usageError(["--epochz", "3"]), /^Unknown option '--epochz'.*see --help$/);
  assert.match(await usageError(["--dataset", "cifar"]), /^--dataset: must be one of mnist/);
  assert.match(await usageError(["--data", "d.csv"]), /^--target: required with --data d\.csv/);
  assert.match(
    await usageError(["--data", "d.txt"]),
    /^--data: d\.txt must end in \.csv, \.tsv or \.ndjson/,
  );
  assert.match(await usageError(["--data", "d.ndjson"]), /^--layers: is required/);
  assert.match(
    await usageError(["--data", "d.csv", "--target", "y", "--loss", "mse"]),
    /^--loss: is given without layers/,
  );
  assert.match(
    await usageError(["--data", "d.csv", "--target", "y", "--missing", "drop"]),
    /^--missing: "drop" is not impute or error/,
  );
  assert.match(
    await usageError(["--data", "d.csv", "--target", "y", "--categorical", "a,,b"]),
    /^--categorical: "a,,b" has an empty column name/,
  );
  assert.match(
    await usageError(["--dataset", "iris", "--ignore", "a"]),
    /^--categorical or --ignore: is for a csv dataset only/,
  );
  assert.match(await usageError(["--layers", "128:relu,abc"]), /^--layers: "abc" is not units/);
  assert.match(await usageError(["--layers", "0:relu"]), /^--layers: must be at least 1/);
  assert.match(await usageError(["--data", "d.csv", "--dataset", "xor"]), /give one of them/);
});

Deno.test("--max-run-mib sets the memory limit, a whole number of MiB (default 2048)", async () => {
  assert.equal((await parseCli([])).maxRunMiB, 2048);
  assert.equal((await parseCli(["--max-run-mib", "512"])).maxRunMiB, 512);
  assert.match(
    await usageError(["--max-run-mib", "0"]),
    /^--max-run-mib: "0" is not a whole number of MiB from 1 to 9999999; pass e\.g\. --max-run-mib 4096$/,
  );
  assert.match(await usageError(["--max-run-mib", "2GB"]), /^--max-run-mib: "2GB" is not/);
});

Deno.test("a batch size past 65,536 names --batch-size and the maximum", async () => {
  assert.equal(
    await usageError(["--batch-size", "1000000000"]),
    "--batch-size: must be at most 65536: a larger batch trains no better; use e.g. 32 to 1024",
  );
});

Deno.test("config file problems name the file and the field", async () => {
  const read = files({
    "bad.json": { epochs: -1 },
    "typo.json": { batchsize: 3 },
    "broken.json": "{",
  });
  assert.equal(
    await usageError(["--config", "bad.json"], read),
    "--config bad.json: epochs: must be at least 1",
  );
  assert.match(
    await usageError(["--config", "typo.json"], read),
    /^--config typo\.json: batchsize: unknown field/,
  );
  assert.match(
    await usageError(["--config", "broken.json"], read),
    /^--config broken\.json: not valid JSON/,
  );
  assert.match(
    await usageError(["--config", "none.json"], read),
    /^--config none\.json: file not found/,
  );
  const folder = (path: string) => Promise.reject(new Deno.errors.IsADirectory(path));
  assert.equal(
    await usageError(["--config", "runs"], folder),
    "--config runs: is a folder; give the path of a .json run config",
  );
});

Deno.test("a negative number after a flag is its value, checked like any other", async () => {
  const cases: [string[], string][] = [
    [["--lr", "-1"], "--lr: must be a positive number"],
    [["--lr", "-0.5"], "--lr: must be a positive number"],
    [["--epochs", "-3"], "--epochs: must be at least 1"],
    [["--batch-size", "-64"], "--batch-size: must be at least 1"],
    [["--validation-split", "-.1"], "--validation-split: must be 0 or more"],
    [["--l2", "-1e-4"], "--l2: must be 0 or more"],
    [["--warmup-steps", "-10"], "--warmup-steps: must be 0 or more"],
    [["--workers", "-2"], "--workers: must be at least 1"],
    [["--lr", "-Infinity"], "--lr: must be a finite number"],
    [["--layers", "-4:relu"], "--layers: must be at least 1: a layer needs at least one neuron"],
  ];
  for (const [argv, message] of cases) {
    assert.equal(await usageError([...argv, "--dataset", "xor"]), message, argv.join(" "));
  }
  const { config } = await parseCli(["--seed", "-5", "--dataset", "xor"], files({}));
  assert.equal(config.seed, -5); // a negative seed is a seed
  assert.deepEqual(parseFlags(["--lr", "-1", "--epochs", "2"]).fields, { lr: -1, epochs: 2 });
  assert.match(
    await usageError(["--serve", "--port", "-1"]),
    /^--port: "-1" is not a port; pass a whole number from 0 to 65535$/,
  );
  // Not a number: still a flag with its value missing.
  assert.match(await usageError(["--lr", "--epochs", "2"]), /^Option '--lr' argument is ambig/);
  assert.match(await usageError(["--json", "-1"]), /^Option '--json' does not take an argument/);
});

Deno.test("--help names every config-only field and points to the README", () => {
  const configOnly = Object.keys(RunConfigSchema.entries).filter((f) => !(f in FLAG_OF_FIELD));
  assert.ok(configOnly.includes("schedule") && configOnly.includes("earlyStopping"));
  for (const field of [...configOnly, "columns (CSV column types)"]) {
    assert.match(HELP, new RegExp(`^  ${field.replace(/[()]/g, "\\$&")}(\\s|,|$)`, "m"), field);
  }
  assert.match(HELP, /README\.md, "Run config file"/);
  // every flag-backed field names a flag that --help lists
  for (const flag of Object.values(FLAG_OF_FIELD).flatMap((f) => f.split(" or "))) {
    assert.match(HELP, new RegExp(`^  ${flag} `, "m"));
  }
  assert.ok(v.safeParse(RunConfigSchema, {}).success);
});

Deno.test("parseLayers reads units, activation and init", () => {
  assert.deepEqual(parseLayers("4, 2:relu:he"), [{ units: 4 }, {
    units: 2,
    activation: "relu",
    init: "he",
  }]);
});
