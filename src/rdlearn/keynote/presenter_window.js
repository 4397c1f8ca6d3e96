// rdlearn keynote: the presenter window, opened from the deck (S, or "Presenter view").
//
// The deck's page opens a second window of the same origin and draws it itself: a copy of
// the current slide, the next slide's title, the current slide's speaker notes, a clock,
// the time elapsed and left against the talk's planned length, and for a slide with a room
// question the hall's answer count and a reveal behind the facilitator key. The two windows
// share one page's script, so a move in either shows in both at once, with no server round
// trip. The notes arrive from the kernel as a message when the window opens and are only
// ever written into the presenter window's document: the projected page's DOM never holds
// them. Closing the presenter window leaves the deck where it was; opening it again while
// it is open brings the same window forward. Texts are set with textContent only.

import { h } from "./widgetkit.js";

export const NEXT_KEYS = new Set(["ArrowRight", "PageDown", " ", "Spacebar"]);
export const PREVIOUS_KEYS = new Set(["ArrowLeft", "PageUp"]);
export const WINDOW_NAME = "rdlearn-presenter";
const COUNT_EVERY_MS = 2000;
const TICK_MS = 250;

// Works for elements of either window (instanceof would not: each window has its own Element).
export function isTyping(target) {
  if (!target || target.nodeType !== 1) return false;
  if (target.isContentEditable) return true;
  return Boolean(target.closest("input, textarea, select, [contenteditable='true']"));
}

// The slide a key asks for, or null when the key is not a move.
export function keyTarget(key, index, total) {
  if (NEXT_KEYS.has(key)) return index + 1;
  if (PREVIOUS_KEYS.has(key)) return index - 1;
  if (key === "Home") return 0;
  if (key === "End") return total - 1;
  return null;
}

// "m:ss" for a number of seconds (minutes past 59 stay minutes: a talk is timed in them).
export function clockText(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function timeOfDay(ms) {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/**
 * The presenter window of one deck. `options`: opener (the deck's window), deck() (its root
 * element), count(), current(), titles(), goTo(index), send(content) (to the kernel) and
 * say(text) (a quiet line under the deck's controls).
 */
export function presenterWindow(options) {
  const { opener, deck, count, current, titles, goTo, send, say } = options;
  let win = null; // the presenter window while it is open
  let parts = null; // its elements
  let data = null; // notes and timings from the kernel (kept here, never in the deck's DOM)
  let startedAt = null;
  let longTalk = false;
  let key = "";
  let ticker = null;
  let counter = null;
  const counts = {}; // question id -> the last count the kernel sent
  const revealMessages = {};
  const workshop = () => new URLSearchParams(opener.location.search).get("workshop") || "";

  const isOpen = () => Boolean(win && !win.closed && parts);

  function stop() {
    if (ticker !== null) opener.clearInterval(ticker);
    if (counter !== null) opener.clearInterval(counter);
    ticker = null;
    counter = null;
    win = null;
    parts = null;
  }

  // The page's styles, rule by rule (same origin, so readable), whatever added them: the
  // template's links, widget styles in <style> elements or adopted style sheets.
  function copyStyles(doc) {
    const sheets = [...opener.document.styleSheets, ...(opener.document.adoptedStyleSheets || [])];
    const rules = [];
    for (const sheet of sheets) {
      if (sheet.ownerNode && sheet.ownerNode.closest && sheet.ownerNode.closest(".rd-deck")) {
        continue; // the deck's own scoped rule shows one slide
      }
      try {
        for (const rule of sheet.cssRules) rules.push(rule.cssText);
      } catch (err) { /* a sheet from elsewhere cannot be read; there should be none */ }
    }
    const style = doc.createElement("style");
    style.textContent = rules.join("\n");
    doc.head.append(style);
  }

  function button(text, className, label) {
    const b = h("button", { type: "button", class: `rd-presenter__button ${className}`, text });
    if (label) b.setAttribute("aria-label", label);
    return b;
  }

  function build(doc) {
    doc.documentElement.lang = opener.document.documentElement.lang || "en";
    for (const cls of opener.document.body.classList) doc.body.classList.add(cls);
    doc.body.replaceChildren();
    doc.head.replaceChildren();
    const meta = doc.createElement("meta");
    meta.setAttribute("charset", "utf-8");
    doc.head.append(meta);
    doc.title = "Presenter view: keynote";
    copyStyles(doc);

    const p = {};
    p.clock = h("p", { class: "rd-presenter__clock", role: "timer", "aria-label": "Time of day" });
    p.elapsed = h("p", { class: "rd-presenter__elapsed", role: "timer" });
    p.left = h("p", { class: "rd-presenter__left", role: "timer" });
    p.length = h("input", { type: "checkbox", class: "rd-presenter__long" });
    p.lengthLabel = h("label", { class: "rd-presenter__length" }, p.length,
                      h("span", { class: "rd-presenter__length-text" }));
    p.restart = button("Restart the timer", "rd-presenter__restart", null);
    p.previous = button("\u2190 Previous", "rd-presenter__previous", "Previous slide");
    p.next = button("Next \u2192", "rd-presenter__next", "Next slide");
    p.counter = h("p", { class: "rd-presenter__counter" });
    p.live = h("div", { class: "rd-visually-hidden", role: "status", "aria-live": "polite" });
    p.canvas = h("div", { class: "rd-presenter__canvas rd-projected" });
    p.frame = h("div", { class: "rd-presenter__frame", role: "img" }, p.canvas);
    p.nextTitle = h("p", { class: "rd-presenter__next-title" });
    p.notes = h("div", { class: "rd-presenter__notes", "aria-label": "Speaker notes",
                         tabindex: "0" });
    p.timing = h("p", { class: "rd-presenter__timing" });
    p.room = h("section", { class: "rd-presenter__room", "aria-label": "Room question" });
    p.question = h("p", { class: "rd-presenter__question" });
    p.count = h("p", { class: "rd-presenter__count", role: "status" });
    p.key = h("input", { type: "password", class: "rd-presenter__key",
                         autocomplete: "off", "aria-label": "Facilitator key" });
    p.reveal = button("Reveal to the room", "rd-presenter__reveal", null);
    p.revealMessage = h("p", { class: "rd-presenter__reveal-message", role: "status" });
    p.room.append(
      h("h2", { class: "rd-presenter__heading", text: "Room question" }), p.question, p.count,
      h("div", { class: "rd-presenter__reveal-row" },
        h("label", { class: "rd-presenter__key-label" },
          h("span", { text: "Facilitator key" }), p.key), p.reveal),
      p.revealMessage);

    const header = h("header", { class: "rd-presenter__top" },
      p.clock, p.elapsed, p.left, p.lengthLabel, p.restart);
    const moves = h("nav", { class: "rd-presenter__moves", "aria-label": "Move the deck" },
      p.previous, p.counter, p.next);
    const main = h("main", { class: "rd-presenter" },
      header,
      h("section", { class: "rd-presenter__now", "aria-label": "Current slide" },
        h("h2", { class: "rd-presenter__heading", text: "Now on the screen" }), p.frame, moves),
      h("section", { class: "rd-presenter__side" },
        h("h2", { class: "rd-presenter__heading", text: "Next" }), p.nextTitle,
        h("h2", { class: "rd-presenter__heading", text: "Speaker notes" }), p.timing, p.notes,
        p.room),
      p.live);
    doc.body.classList.add("rd-presenter-page");
    doc.body.append(main);

    p.previous.addEventListener("click", () => goTo(current() - 1));
    p.next.addEventListener("click", () => goTo(current() + 1));
    p.restart.addEventListener("click", () => { startedAt = Date.now(); tick(); });
    p.length.addEventListener("change", () => { longTalk = p.length.checked; tick(); });
    p.key.addEventListener("input", () => { key = p.key.value; });
    p.reveal.addEventListener("click", reveal);
    doc.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target)) return;
      const onButton = event.target && event.target.nodeType === 1
        && event.target.closest("button, input");
      if (onButton && (event.key === " " || event.key === "Enter")) return;
      const target = keyTarget(event.key, current(), count());
      if (target === null) return;
      event.preventDefault();
      goTo(target);
    });
    win.addEventListener("pagehide", () => { if (win && win.document === doc) stop(); });
    win.addEventListener("resize", fitFrame);
    return p;
  }

  function plannedMinutes() {
    if (!data) return 60;
    return longTalk ? data.planned_long : data.planned;
  }

  function tick() {
    if (!isOpen()) { if (win && win.closed) stop(); return; }
    const now = Date.now();
    if (startedAt === null) startedAt = now;
    const elapsed = (now - startedAt) / 1000;
    const left = plannedMinutes() * 60 - elapsed;
    parts.clock.textContent = timeOfDay(now);
    parts.elapsed.textContent = `${clockText(elapsed)} elapsed`;
    parts.left.textContent = left >= 0 ? `${clockText(left)} left of ${plannedMinutes()} min`
      : `${clockText(-left)} over ${plannedMinutes()} min`;
    parts.left.classList.toggle("rd-presenter__left--over", left < 0);
    if (data) {
      parts.lengthLabel.lastChild.textContent =
        `With the optional part (${data.planned_long} min instead of ${data.planned})`;
    }
  }

  function fitFrame() {
    if (!isOpen()) return;
    const frame = parts.frame;
    const scale = Math.min(frame.clientWidth / 1920, 1);
    parts.canvas.style.transform = `scale(${scale})`;
    frame.style.height = `${1080 * scale}px`;
  }

  function copySlide(index) {
    const root = deck();
    const slide = root && root.querySelector(`.rd-slide-${index}`);
    parts.canvas.replaceChildren();
    if (!slide) return;
    const copy = win.document.importNode(slide, true);
    copy.style.display = "flex";
    copy.removeAttribute("id");
    for (const node of copy.querySelectorAll("[id]")) node.removeAttribute("id");
    for (const node of copy.querySelectorAll("button, a, input, details")) {
      node.setAttribute("tabindex", "-1");
    }
    parts.canvas.append(copy);
    parts.frame.setAttribute("aria-label", `Slide ${index + 1}: ${titles()[index] || ""}`);
    fitFrame();
  }

  function showRoom(slide) {
    const qid = slide && slide.question;
    parts.room.hidden = !qid;
    if (!qid) return;
    parts.question.textContent = slide.question_text;
    const seen = counts[qid];
    if (!seen) parts.count.textContent = "Counting the hall's answers\u2026";
    else if (seen.count === null) parts.count.textContent = seen.message;
    else {
      const n = seen.count;
      parts.count.textContent = `${n} answer${n === 1 ? "" : "s"} from the hall \u00b7 `
        + `${seen.open ? "open" : "closed"} \u00b7 `
        + `${seen.revealed ? "shown to the room" : "hidden from the room"}`;
    }
    parts.revealMessage.textContent = revealMessages[qid] || "";
  }

  function update() {
    if (!isOpen()) return;
    const index = current();
    const total = count();
    const names = titles();
    parts.counter.textContent = `Slide ${index + 1} of ${total}`;
    parts.previous.disabled = index <= 0;
    parts.next.disabled = index >= total - 1;
    parts.nextTitle.textContent = index + 1 < total
      ? `${index + 2}. ${names[index + 1] || ""}` : "End of the deck";
    const slide = data && data.slides[index];
    parts.notes.replaceChildren();
    if (slide) {
      parts.notes.append(h("p", { class: "rd-presenter__notes-text", text: slide.notes }));
      parts.timing.textContent = slide.extra_minutes
        ? `About ${slide.minutes} min (${slide.minutes + slide.extra_minutes} in the longer talk)`
        : `About ${slide.minutes} min`;
    } else {
      parts.timing.textContent = "Loading the notes\u2026";
    }
    showRoom(slide);
    parts.live.textContent = `Slide ${index + 1} of ${total}: ${names[index] || ""}`;
    copySlide(index);
    askCount();
  }

  function askCount() {
    const slide = data && data.slides[current()];
    if (isOpen() && slide && slide.question) {
      send({ kind: "count", question: slide.question, workshop: workshop() });
    }
  }

  function reveal() {
    const slide = data && data.slides[current()];
    if (!slide || !slide.question) return;
    if (!key.trim()) {
      revealMessages[slide.question] = "Type the facilitator key first.";
      showRoom(slide);
      return;
    }
    revealMessages[slide.question] = "Revealing\u2026";
    showRoom(slide);
    send({ kind: "reveal", question: slide.question, key, workshop: workshop() });
  }

  function receive(content) {
    if (!content || typeof content !== "object") return;
    if (content.kind === "presenter" && Array.isArray(content.slides)) {
      data = content;
      update();
      tick();
    } else if (content.kind === "count" && content.question) {
      counts[content.question] = content;
      if (isOpen()) showRoom(data && data.slides[current()]);
    } else if (content.kind === "reveal" && content.question) {
      revealMessages[content.question] = String(content.message || "");
      askCount();
      if (isOpen()) showRoom(data && data.slides[current()]);
    }
  }

  function open() {
    if (isOpen()) { win.focus(); return; }
    let opened = null;
    try {
      opened = opener.open("", WINDOW_NAME, "popup,width=1280,height=800");
    } catch (err) {
      opened = null;
    }
    if (!opened) {
      say("The browser did not open the presenter window: allow pop-ups for this page.");
      return;
    }
    win = opened;
    say("");
    parts = build(win.document);
    if (data === null) send({ kind: "presenter" });
    ticker = opener.setInterval(tick, TICK_MS);
    counter = opener.setInterval(askCount, COUNT_EVERY_MS);
    update();
    tick();
    win.focus();
  }

  function detach() {
    if (isOpen()) {
      try { win.close(); } catch (err) { /* the window may already be gone */ }
    }
    stop();
  }

  return { open, update, receive, detach, isOpen, window: () => win };
}
