// rdlearn keynote: the browser side of a slide deck (an anywidget module, loaded from the
// package; nothing is fetched from the internet).
//
// The slides themselves are ipywidgets boxes with the classes "rd-slide rd-slide-<i>" inside
// a box with the classes "rd-deck <deck_class>"; this module draws the controls, handles the
// keys and shows one slide at a time with a style rule scoped to its own deck, then tells
// the kernel which slide is shown (model "index", from 0). Every text is set with
// textContent, never as HTML (the kit's h).

import { h, setAttributes } from "./widgetkit.js";

const NEXT_KEYS = new Set(["ArrowRight", "PageDown", " ", "Spacebar"]);
const PREVIOUS_KEYS = new Set(["ArrowLeft", "PageUp"]);

function isTyping(target) {
  if (!target || !(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  return Boolean(target.closest("input, textarea, select, [contenteditable='true']"));
}

function makeButton(text, className, label) {
  return h("button", { type: "button", class: "rd-slides-button " + className, text,
                       "aria-label": label });
}

function render({ model, el }) {
  el.classList.add("rd-slides-controls");

  const previous = makeButton("\u2190 Previous", "rd-slides-previous", "Previous slide");
  const counter = h("span", { class: "rd-slides-counter" });
  const next = makeButton("Next \u2192", "rd-slides-next", "Next slide");
  const full = makeButton("Full screen", "rd-slides-fullscreen", null);
  setAttributes(full, { "aria-pressed": "false", title: "Full screen (F); Esc leaves it" });
  const live = h("div", { class: "rd-visually-hidden rd-slides-live", role: "status",
                          "aria-live": "polite", "aria-atomic": "true" });
  const message = h("p", { class: "rd-slides-message", role: "alert" });
  const hint = h("p", { class: "rd-slides-hint", text: "Keys: \u2192 or Space next, "
                        + "\u2190 previous, Home first, End last, F full screen." });
  const scopedStyle = h("style");

  const bar = h("div", { class: "rd-slides-bar" }, previous, counter, next, full);
  el.append(scopedStyle, bar, message, hint, live);

  const count = () => Number(model.get("count")) || 0;
  const current = () => {
    const value = Number(model.get("index"));
    return Number.isInteger(value) ? value : 0;
  };
  const deckRoot = () => el.closest(".rd-deck");

  function show(announce) {
    const index = current();
    const total = count();
    const deckClass = String(model.get("deck_class") || "").replace(/[^a-z0-9-]/gi, "");
    if (deckClass) {
      scopedStyle.textContent =
        `.${deckClass} .rd-slide { display: none !important; }\n` +
        `.${deckClass} .rd-slide-${index} { display: flex !important; }`;
    }
    counter.textContent = `Slide ${index + 1} of ${total}`;
    previous.disabled = index <= 0;
    next.disabled = index >= total - 1;
    if (announce) {
      const titles = model.get("titles") || [];
      live.textContent = `Slide ${index + 1} of ${total}: ${titles[index] || ""}`;
    }
    const deck = deckRoot();
    if (deck) {
      deck.setAttribute("role", "region");
      deck.setAttribute("aria-roledescription", "slide deck");
      deck.setAttribute("aria-label", "Keynote slides");
    }
    // Charts drawn while their slide was hidden take their real size on a resize event.
    requestAnimationFrame(() => window.dispatchEvent(new Event("resize")));
  }

  function goTo(index) {
    const total = count();
    if (total === 0) return;
    const target = Math.max(0, Math.min(total - 1, index));
    if (target === current()) return;
    model.set("index", target);
    model.save_changes();
  }

  function inFullScreen() {
    const deck = deckRoot();
    return Boolean(deck && document.fullscreenElement === deck);
  }

  function toggleFullScreen() {
    const deck = deckRoot();
    if (!deck) return;
    if (inFullScreen()) {
      document.exitFullscreen().catch(() => {});
    } else if (deck.requestFullscreen) {
      deck.requestFullscreen().catch(() => {
        message.textContent = "This browser did not allow full screen.";
      });
    }
  }

  function onFullScreenChange() {
    const on = inFullScreen();
    full.setAttribute("aria-pressed", on ? "true" : "false");
    full.textContent = on ? "Leave full screen" : "Full screen";
    requestAnimationFrame(() => window.dispatchEvent(new Event("resize")));
  }

  function onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (isTyping(event.target)) return;
    // Space and Enter on a focused button press that button; leave them to it.
    const onButton = event.target instanceof Element && event.target.closest("button");
    if (onButton && (event.key === " " || event.key === "Enter")) return;
    const deck = deckRoot();
    // Only a deck that is on screen listens (a page could hold other widgets).
    if (!deck || (deck.offsetParent === null && !inFullScreen())) return;
    let handled = true;
    if (NEXT_KEYS.has(event.key)) goTo(current() + 1);
    else if (PREVIOUS_KEYS.has(event.key)) goTo(current() - 1);
    else if (event.key === "Home") goTo(0);
    else if (event.key === "End") goTo(count() - 1);
    else if (event.key === "f" || event.key === "F") toggleFullScreen();
    else if (event.key === "Escape" && inFullScreen()) document.exitFullscreen().catch(() => {});
    else handled = false;
    if (handled) event.preventDefault();
  }

  previous.addEventListener("click", () => goTo(current() - 1));
  next.addEventListener("click", () => goTo(current() + 1));
  full.addEventListener("click", toggleFullScreen);
  document.addEventListener("keydown", onKey);
  document.addEventListener("fullscreenchange", onFullScreenChange);

  const onIndex = () => show(true);
  const onCount = () => show(false);
  const onMessage = () => { message.textContent = String(model.get("message") || ""); };
  model.on("change:index", onIndex);
  model.on("change:count", onCount);
  model.on("change:message", onMessage);
  show(false);
  onMessage();

  return () => {
    document.removeEventListener("keydown", onKey);
    document.removeEventListener("fullscreenchange", onFullScreenChange);
    model.off("change:index", onIndex);
    model.off("change:count", onCount);
    model.off("change:message", onMessage);
  };
}

export default { render };
