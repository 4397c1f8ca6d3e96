// Every visible control on the page whose label or value does not show whole.
// Run by tests/e2e/test_layout.py with page.evaluate; returns {checked, cut, small}.
//  - a button, link-button, label or select whose content is wider than its box
//    (scrollWidth > clientWidth: ipywidgets cuts labels with text-overflow: ellipsis);
//  - the elements inside a button (ipywidgets puts the label in a span or div);
//  - a text input whose value (or placeholder when empty) is wider than its inner width,
//    measured with the input's own font;
//  - "small": touch targets under the minimum size, when a minimum is given.
(minimum) => {
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d");
  const TEXT_INPUTS = new Set(["", "text", "search", "email", "url", "tel", "password", "number"]);
  const px = (value) => parseFloat(value) || 0;

  function visible(el) {
    if (!el.isConnected) return false;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const rect = el.getBoundingClientRect();
    if (rect.width < 2 || rect.height < 2) return false;
    // Text for screen readers only is clipped to 1 px on purpose.
    if (el.closest(".rd-visually-hidden, .rd-timer__sr, [hidden]")) return false;
    return true;
  }

  function describe(el) {
    const text = (el.value !== undefined && el.tagName !== "BUTTON" ? el.value : el.textContent) || "";
    const label = el.getAttribute("aria-label") || el.getAttribute("placeholder") || "";
    const where = el.closest("[class*='rd-']");
    return {
      tag: el.tagName.toLowerCase(),
      text: text.trim().replace(/\s+/g, " ").slice(0, 80) || label.slice(0, 80),
      within: where ? [...where.classList].filter((c) => c.startsWith("rd-")).join(" ") : "",
      box: Math.round(el.clientWidth),
    };
  }

  function textWidth(el, text) {
    const style = getComputedStyle(el);
    ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const spacing = px(style.letterSpacing) * text.length;
    return ctx.measureText(text).width + spacing;
  }

  const cut = [];
  const small = [];
  let checked = 0;

  const boxes = document.querySelectorAll(
    "button, [role='button'], .widget-label, .widget-label-basic, label, select, " +
    ".widget-toggle-button, .rd-nav a"
  );
  for (const el of boxes) {
    if (!visible(el)) continue;
    checked += 1;
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      cut.push({ ...describe(el), content: el.scrollWidth });
    } else if (el.tagName === "SELECT" && el.selectedIndex >= 0) {
      const style = getComputedStyle(el);
      // The arrow sits in the right padding; the chosen option shows in what is left.
      const inner = el.clientWidth - px(style.paddingLeft) - px(style.paddingRight);
      const shown = el.options[el.selectedIndex].text;
      const width = textWidth(el, shown);
      if (width > inner + 1) cut.push({ ...describe(el), text: shown.slice(0, 80), content: Math.round(width), box: Math.round(inner) });
    }
    if (el.tagName === "BUTTON") {
      for (const inside of el.querySelectorAll("*")) {
        if (!visible(inside) || getComputedStyle(inside).display === "inline") continue;
        checked += 1;
        if (inside.scrollWidth > inside.clientWidth + 1 && inside.clientWidth > 0) {
          cut.push({ ...describe(el), part: inside.className, content: inside.scrollWidth });
        }
      }
    }
    const choice = el.tagName === "LABEL" && el.querySelector("input[type='checkbox'], input[type='radio']");
    if (minimum && (choice || el.matches("button, [role='button'], select, .widget-toggle-button, .rd-nav a"))) {
      const rect = el.getBoundingClientRect();
      if (rect.height < minimum - 0.5 || rect.width < minimum - 0.5) {
        small.push({ ...describe(el), width: Math.round(rect.width), height: Math.round(rect.height) });
      }
    }
  }

  for (const el of document.querySelectorAll("input")) {
    if (!TEXT_INPUTS.has(el.type) || !visible(el)) continue;
    checked += 1;
    const style = getComputedStyle(el);
    const inner = el.clientWidth - px(style.paddingLeft) - px(style.paddingRight);
    let shown = el.value || el.placeholder || "";
    if (el.type === "password" && el.value) shown = "\u2022".repeat(el.value.length);
    const width = textWidth(el, shown);
    if (shown && width > inner + 1) {
      cut.push({ ...describe(el), text: shown.slice(0, 80), content: Math.round(width), box: Math.round(inner) });
    }
    if (minimum) {
      const rect = el.getBoundingClientRect();
      if (rect.height < minimum - 0.5) {
        small.push({ ...describe(el), width: Math.round(rect.width), height: Math.round(rect.height) });
      }
    }
  }
  const page = {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  };
  return { checked, cut, small, page };
}
