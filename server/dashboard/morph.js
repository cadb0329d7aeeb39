// Updates a card in place from a freshly built copy, so that what the user
// holds stays: an open <details>, a button being pressed, a scrolled panel.
// The dashboard redraws many times a second while runs train; replacing the
// cards each time closed the config a user had opened and could lose clicks.

/** Properties copied from the fresh node: event handlers and live form state. */
const PROPS = ["onclick", "onpointerdown", "onchange", "oninput", "value", "max", "disabled"];

/**
 * Makes `old` look and act like `fresh` (same tag): attributes, handlers and
 * children, recursively; `old` keeps its identity and `open` state. Returns
 * the node to keep: `old`, or `fresh` where the tags differ.
 *
 * @example
 * ```js
 * const kept = morph(container.firstChild, buildCard(run));
 * ```
 */
export function morph(old, fresh) {
  if (!sameKind(old, fresh)) return fresh;
  if (old.nodeType === Node.TEXT_NODE) {
    if (old.data !== fresh.data) old.data = fresh.data;
    return old;
  }
  // A canvas holds its drawing, not its attributes: a fresh one replaces it.
  if (old.nodeName === "CANVAS") return fresh;
  for (const { name, value } of [...fresh.attributes]) {
    if (name === "open" || old.getAttribute(name) === value) continue;
    // Inline styles go through the CSSOM: the page's CSP (style-src 'self') blocks a style
    // attribute set as text.
    if (name === "style") old.style.cssText = fresh.style.cssText;
    else old.setAttribute(name, value);
  }
  for (const { name } of [...old.attributes]) {
    if (name !== "open" && !fresh.hasAttribute(name)) old.removeAttribute(name);
  }
  for (const prop of PROPS) {
    if (prop in fresh && old[prop] !== fresh[prop]) old[prop] = fresh[prop];
  }
  // Each fresh child morphs the next old child of the same kind (tag and class), so a
  // child that comes or goes (the Stop button, the insights) leaves the others paired.
  const oldKids = [...old.childNodes];
  let from = 0;
  const kept = [...fresh.childNodes].map((kid) => {
    const at = oldKids.findIndex((o, i) => i >= from && sameKind(o, kid));
    if (at < 0) return kid;
    from = at + 1;
    return morph(oldKids[at], kid);
  });
  place(old, kept);
  return old;
}

/**
 * Makes `nodes` the children of `parent`, in order, moving as few as it can:
 * the longest run of children already in order stays, and only the others
 * are moved (a node taken out of the page, even to put it back, loses the
 * focus: a button the user had tabbed to would lose it whenever a card or
 * row near it came, went or changed places; one whose own node moves still
 * does).
 */
export function place(parent, nodes) {
  const keep = new Set(nodes);
  for (const kid of [...parent.childNodes]) if (!keep.has(kid)) kid.remove();
  const at = new Map([...parent.childNodes].map((kid, i) => [kid, i]));
  const stay = inOrder(nodes.map((node) => at.get(node) ?? -1));
  let next = null;
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (!stay.has(i)) parent.insertBefore(nodes[i], next);
    next = nodes[i];
  }
}

/**
 * The indices of a longest strictly increasing run of `values` (skipping
 * negative ones): patience sorting, with each value's predecessor kept.
 */
function inOrder(values) {
  const tails = [], before = new Array(values.length);
  values.forEach((v, i) => {
    if (v < 0) return;
    let lo = 0, hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]] < v) lo = mid + 1;
      else hi = mid;
    }
    before[i] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = i;
  });
  const stay = new Set();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = before[i]) stay.add(i);
  return stay;
}

/** Whether `a` and `b` are nodes of one kind: text, or elements of one tag and class. */
function sameKind(a, b) {
  return a.nodeType === b.nodeType && a.nodeName === b.nodeName &&
    (a.nodeType !== Node.ELEMENT_NODE || a.className === b.className);
}

/**
 * Keeps one node per key in `container`: each fresh node is morphed into the
 * one already shown under its key (`data-run`), and the children are put in
 * order without touching those that keep their order.
 */
export function reconcile(container, freshNodes, key = (node) => node.dataset.run) {
  const shown = new Map([...container.children].map((node) => [key(node), node]));
  const nodes = freshNodes.map((fresh) => {
    const old = shown.get(key(fresh));
    return old ? morph(old, fresh) : fresh;
  });
  place(container, nodes);
}
