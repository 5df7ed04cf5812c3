// Runs inside the page under test (evaluated by test/helpers/page-checks.ts), so it is plain browser JavaScript.
(() => {
  /**
   * Words whose letters land on more than one line: each word of every visible
   * text node is measured through a Range's client rects. A line may end after
   * a hyphen ("re-|planned"), which splits a compound, not a word. URLs and
   * code are one long "word" that may wrap anywhere, so they are left out.
   */
  function brokenWords() {
    const broken = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest("script, style, svg, code, .url, [hidden]")) continue;
      const text = node.textContent ?? "";
      for (const match of text.matchAll(/[^\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(`${match[0]} (in <${parent.tagName.toLowerCase()}${parent.className ? ` class="${parent.className}"` : ""}>)`);
      }
    }
    return broken;
  }

  /** How far the page is wider than its viewport, with the first elements that stick out. */
  function overflow() {
    const width = document.documentElement.clientWidth;
    const over = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - width;
    const culprits = over <= 0 ? [] : [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${typeof e.className === "string" && e.className ? `.${e.className.split(" ").join(".")}` : ""}`);
    return { overflow: Math.max(0, over), culprits };
  }

  window.batonProbes = { brokenWords, overflow };
})();
