// rdlearn keynote: the browser side of a slide deck (an anywidget module, loaded from the
// package; nothing is fetched from the internet).
//
// The slides themselves are ipywidgets boxes with the classes "rd-slide rd-slide-<i>" inside
// a canvas box (".rd-canvas") inside a box with the classes "rd-deck <deck_class>"; this
// module draws the controls, handles the keys and shows one slide at a time with a style
// rule scoped to its own deck, then tells the kernel which slide is shown (model "index",
// from 0). In full screen the canvas is a 1920x1080 slide scaled to the screen, so what
// fits one 16:9 projector fits them all. "S" opens the presenter window
// (./presenter_window.js); the two windows move together without the server. Every text is
// set with textContent, never as HTML (the kit's h).

import { h, setAttributes } from "./widgetkit.js";
import { isTyping, keyTarget, presenterWindow } from "./presenter_window.js";

export const CANVAS = { width: 1920, height: 1080 };

function makeButton(text, className, label) {
  return h("button", { type: "button", class: "rd-slides-button " + className, text,
                       "aria-label": label });
}

function render({ model, el }) {
  el.classList.add("rd-slides-controls");

  const previous = makeButton("\u2190 Previous", "rd-slides-previous", "Previous slide");
  const counter = h("span", { class: "rd-slides-counter" });
  const next = makeButton("Next \u2192", "rd-slides-next", "Next slide");
  const presenterButton = makeButton("Presenter view", "rd-slides-presenter", null);
  setAttributes(presenterButton, { title: "Open the presenter window on this screen (S): "
    + "notes, next slide, clock" });
  const full = makeButton("Full screen", "rd-slides-fullscreen", null);
  setAttributes(full, { "aria-pressed": "false", title: "Full screen (F); Esc leaves it" });
  const live = h("div", { class: "rd-visually-hidden rd-slides-live", role: "status",
                          "aria-live": "polite", "aria-atomic": "true" });
  const message = h("p", { class: "rd-slides-message", role: "status" });
  const hint = h("p", { class: "rd-slides-hint", text: "Keys: \u2192 or Space next, "
                        + "\u2190 previous, Home first, End last, F full screen, "
                        + "S presenter view." });
  const scopedStyle = h("style");

  const bar = h("div", { class: "rd-slides-bar" }, previous, counter, next, presenterButton,
                full);
  el.append(scopedStyle, bar, message, hint, live);

  const count = () => Number(model.get("count")) || 0;
  const current = () => {
    const value = Number(model.get("index"));
    const total = count();
    if (!Number.isInteger(value)) return 0;
    return Math.max(0, Math.min(total - 1, value));
  };
  const deckRoot = () => el.closest(".rd-deck");
  const titles = () => model.get("titles") || [];

  function goTo(index) {
    const total = count();
    if (total === 0 || !Number.isInteger(index)) return;
    const target = Math.max(0, Math.min(total - 1, index));
    if (target === current()) return;
    model.set("index", target);
    model.save_changes();
  }

  const presenter = presenterWindow({
    opener: window,
    deck: deckRoot,
    count,
    current,
    titles,
    goTo,
    send: (content) => model.send(content),
    say: (text) => { message.textContent = text; },
  });

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
    if (announce) live.textContent = `Slide ${index + 1} of ${total}: ${titles()[index] || ""}`;
    const deck = deckRoot();
    if (deck) {
      deck.setAttribute("role", "region");
      deck.setAttribute("aria-roledescription", "slide deck");
      deck.setAttribute("aria-label", "Keynote slides");
    }
    // Charts drawn while their slide was hidden take their real size on a resize event.
    requestAnimationFrame(() => {
      window.dispatchEvent(new Event("resize"));
      presenter.update();
    });
  }

  function inFullScreen() {
    const deck = deckRoot();
    return Boolean(deck && document.fullscreenElement === deck);
  }

  // The canvas scaled to the screen (full screen only; the page keeps its own layout).
  function fitCanvas() {
    const deck = deckRoot();
    if (!deck) return;
    const on = inFullScreen();
    deck.classList.toggle("rd-projected", on);
    if (!on) return;
    const width = deck.clientWidth;
    const height = deck.clientHeight;
    const scale = Math.min(width / CANVAS.width, height / CANVAS.height);
    deck.style.setProperty("--rd-scale", String(scale));
    deck.style.setProperty("--rd-left", `${(width - CANVAS.width * scale) / 2}px`);
    deck.style.setProperty("--rd-top", `${(height - CANVAS.height * scale) / 2}px`);
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
    fitCanvas();
    requestAnimationFrame(() => window.dispatchEvent(new Event("resize")));
  }

  function onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (isTyping(event.target)) return;
    // Space and Enter on a focused button press that button; leave them to it.
    const onButton = event.target && event.target.nodeType === 1
      && event.target.closest("button");
    if (onButton && (event.key === " " || event.key === "Enter")) return;
    const deck = deckRoot();
    // Only a deck that is on screen listens (a page could hold other widgets).
    if (!deck || (deck.offsetParent === null && !inFullScreen())) return;
    const target = keyTarget(event.key, current(), count());
    let handled = true;
    if (target !== null) goTo(target);
    else if (event.key === "f" || event.key === "F") toggleFullScreen();
    else if (event.key === "s" || event.key === "S") presenter.open();
    else if (event.key === "Escape" && inFullScreen()) document.exitFullscreen().catch(() => {});
    else handled = false;
    if (handled) event.preventDefault();
  }

  previous.addEventListener("click", () => goTo(current() - 1));
  next.addEventListener("click", () => goTo(current() + 1));
  full.addEventListener("click", toggleFullScreen);
  presenterButton.addEventListener("click", () => presenter.open());
  document.addEventListener("keydown", onKey);
  document.addEventListener("fullscreenchange", onFullScreenChange);
  window.addEventListener("resize", fitCanvas);

  const onIndex = () => show(true);
  const onCount = () => show(false);
  const onMessage = () => { message.textContent = String(model.get("message") || ""); };
  const onCustom = (content) => presenter.receive(content);
  model.on("change:index", onIndex);
  model.on("change:count", onCount);
  model.on("change:message", onMessage);
  model.on("msg:custom", onCustom);
  show(false);
  onMessage();

  return () => {
    document.removeEventListener("keydown", onKey);
    document.removeEventListener("fullscreenchange", onFullScreenChange);
    window.removeEventListener("resize", fitCanvas);
    model.off("change:index", onIndex);
    model.off("change:count", onCount);
    model.off("change:message", onMessage);
    model.off("msg:custom", onCustom);
    presenter.detach();
  };
}

export default { render };
