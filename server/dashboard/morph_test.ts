// morph.js in headless Chromium (it needs a DOM): cards are updated in place,
// keep what the user holds (an open <details>, the nodes themselves), take new
// text, attributes and handlers, and children that come or go leave the rest paired.
import assert from "node:assert/strict";
import { CHROMIUM, hasChromium, openBrowser } from "../_testing/chromium.ts";

const MORPH = await Deno.readTextFile(new URL("./morph.js", import.meta.url));

/** What a test's code gets in the page: morph.js's `reconcile`, the document, `#heads`. */
// deno-lint-ignore no-explicit-any
type InPage = { reconcile: (container: any, nodes: any[]) => void; doc: any; heads: any };

/**
 * Runs `fn` in a page of headless Chromium holding `<div id="heads">` and
 * morph.js, and gives what it returns; the page must log no errors.
 */
async function inPage<T>(fn: (page: InPage) => T): Promise<T> {
  const browser = await openBrowser();
  try {
    const page = await browser.page();
    await page.setContent('<div id="heads"></div>');
    await page.addScriptTag({
      type: "module",
      content: `${MORPH}\nglobalThis.morphLib = { morph, reconcile };`,
    });
    await page.waitForFunction(() => "morphLib" in globalThis);
    const lib = await page.evaluateHandle(() => ({
      // deno-lint-ignore no-explicit-any
      reconcile: (globalThis as any).morphLib.reconcile,
      // deno-lint-ignore no-explicit-any
      doc: (globalThis as any).document,
      // deno-lint-ignore no-explicit-any
      heads: (globalThis as any).document.getElementById("heads"),
    }));
    const result = await page.evaluate(fn, lib as unknown as InPage);
    assert.deepEqual(browser.problems, []);
    return result as T;
  } finally {
    await browser.close();
  }
}

Deno.test({
  name: hasChromium
    ? "morph keeps a card's nodes and open details while its text, handlers and children change"
    : `morph in headless Chromium: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium)`,
  ignore: !hasChromium,
}, async () => {
  const result = await inPage(({ reconcile, doc, heads }) => {
    let clicked = "";
    /** A card as run_cards.js builds one: facts, config, Stop while running, insights when done. */
    const card = (id: string, epoch: number, done: boolean, handler: string) => {
      const root = doc.createElement("div");
      root.dataset.run = id;
      root.className = "card head";
      const facts = doc.createElement("span");
      facts.className = "facts";
      facts.textContent = `epoch ${epoch}`;
      const config = doc.createElement("details");
      config.className = "config";
      config.append(Object.assign(doc.createElement("summary"), { textContent: "config" }));
      const csv = doc.createElement("button");
      csv.className = "csv";
      csv.onclick = () => (clicked = handler);
      root.append(facts, config);
      if (!done) {
        root.append(Object.assign(doc.createElement("button"), { className: "danger" }));
      }
      root.append(csv);
      if (done) {
        const insights = Object.assign(doc.createElement("details"), { className: "insights" });
        insights.open = true;
        insights.append(doc.createElement("canvas"));
        root.append(insights);
      }
      return root;
    };
    reconcile(heads, [card("a", 1, false, "first"), card("b", 1, false, "first")]);
    const [a, b] = [...heads.children];
    a.querySelector("details.config").open = true; // the user opens a's config
    const canvasOf = () => heads.querySelector('[data-run="a"] canvas');
    // b moves first, a ends (its Stop goes, its insights come), handlers are new.
    reconcile(heads, [card("b", 2, false, "second"), card("a", 2, true, "second")]);
    const firstCanvas = canvasOf();
    reconcile(heads, [card("b", 3, false, "third"), card("a", 2, true, "third")]);
    heads.querySelector('[data-run="a"] button.csv').click();
    return {
      order: [...heads.children].map((n) => n.dataset.run),
      sameNodes: heads.children[1] === a && heads.children[0] === b,
      facts: a.querySelector(".facts").textContent,
      configOpen: a.querySelector("details.config").open,
      stop: a.querySelector("button.danger") !== null,
      insightsOpen: a.querySelector("details.insights")?.open,
      canvasReplaced: canvasOf() !== firstCanvas,
      clicked,
      bFacts: b.querySelector(".facts").textContent,
    };
  });
  assert.deepEqual(result, {
    order: ["b", "a"],
    sameNodes: true,
    facts: "epoch 2",
    configOpen: true,
    stop: false,
    insightsOpen: true,
    canvasReplaced: true,
    clicked: "third",
    bFacts: "epoch 3",
  });
});

Deno.test({
  name: hasChromium
    ? "morph keeps the focus on a card's button while cards and buttons come and go around it"
    : `morph and focus in headless Chromium: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium)`,
  ignore: !hasChromium,
}, async () => {
  const kept = await inPage(({ reconcile, doc, heads }) => {
    /** A card with a Stop button while running, then a download button; a note when done. */
    const card = (id: string, running: boolean) => {
      const root = doc.createElement("div");
      root.dataset.run = id;
      root.className = "card head";
      if (running) {
        root.append(Object.assign(doc.createElement("button"), { className: "danger" }));
      }
      root.append(Object.assign(doc.createElement("button"), { className: "csv" }));
      if (!running) root.append(Object.assign(doc.createElement("span"), { className: "note" }));
      return root;
    };
    reconcile(heads, [card("a", true), card("b", true)]);
    const button = heads.querySelector('[data-run="b"] button.csv');
    button.focus();
    const steps: boolean[] = [doc.activeElement === button];
    reconcile(heads, [card("c", true), card("a", true), card("b", true)]); // a new run, first
    steps.push(doc.activeElement === button);
    reconcile(heads, [card("c", true), card("a", true), card("b", false)]); // b ends: Stop goes
    steps.push(doc.activeElement === button);
    reconcile(heads, [card("c", true), card("b", false)]); // a is deleted
    steps.push(doc.activeElement === button);
    // Re-sorted: d moves past b and c, which stay in order and are not moved.
    reconcile(heads, [card("d", true), card("c", true), card("b", false)]);
    reconcile(heads, [card("c", true), card("b", false), card("d", true)]);
    steps.push(doc.activeElement === button);
    const order = [...heads.children].map((node) => node.dataset.run).join("");
    return { steps, order };
  });
  assert.deepEqual(kept, { steps: [true, true, true, true, true], order: "cbd" });
});
