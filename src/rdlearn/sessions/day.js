// rdlearn day page: the session switcher, and the browser's side of rdlearn.sessions.day_page.
//
// The page holds session 1's cells (drawn by the server) and one place per later session
// (drawn by the kernel when first opened). Only the session in view is in the document: the
// others are kept aside, alive, and put back when chosen, so switching to a session already
// opened costs no kernel and no server at all, and nothing hidden can be mistaken for what
// is shown. The address says the session (#session-N): it survives a reload, and the
// header's links and old bookmarks use it.

import { h } from "./widgetkit.js";

const HASH = /^#session-(.*)$/;
const SCROLL_KEY = "rdlearn:v1:day-scroll";
const FOLLOW_POLL_MS = 20000;
// A while after a session is drawn, the page asks its kernel to make the next one ready
// (not shown), each page at its own moment, so that a room moving on together finds its
// sessions made and no kernel has to make one while forty others do the same.
const AHEAD_AFTER_MS = [10000, 40000];

/** The session a page address asks for: a number, "bad" for a garbled #session-, or null. */
export function askedSession(hash, known) {
  const match = HASH.exec(hash || "");
  if (!match) return null;
  const n = /^\d{1,3}$/.test(match[1]) ? Number(match[1]) : NaN;
  return known.includes(n) ? n : "bad";
}

function readScroll() {
  try { return JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "{}") || {}; } catch { return {}; }
}

function saveScroll(number) {
  try {
    const all = readScroll();
    all[number] = Math.round(window.scrollY);
    sessionStorage.setItem(SCROLL_KEY, JSON.stringify(all));
  } catch { /* a browser that keeps nothing still switches */ }
}

export default {
  render({ model, el }) {
    const sessions = model.get("sessions") || [];
    const known = sessions.map((s) => s.number);
    // Voilà wraps each cell in an element of its own: the units that follow this one, up
    // to the last (where sessions 2-4 are drawn), are session 1.
    let ownCell = el.closest(".jp-Cell") || el;
    while (ownCell.parentElement && ownCell.parentElement.children.length <= 3
           && ownCell.parentElement !== document.body) {
      ownCell = ownCell.parentElement;
    }
    const aside = new Map(); // session -> [[node, marker], ...] while out of the document
    let current = null;

    const note = h("p", { class: "rd-day__note", role: "status", "data-testid": "day-note" });
    const buttons = new Map();
    const list = h("ul", { class: "rd-day__list" });
    for (const s of sessions) {
      const b = h("button", {
        type: "button", class: "rd-day__button", "data-session": String(s.number),
        title: s.title, text: s.label,
      });
      b.addEventListener("click", () => go(s.number, { push: true }));
      buttons.set(s.number, b);
      list.appendChild(h("li", {}, b));
    }
    const banner = h("div", { class: "rd-day__follow", hidden: "", role: "region",
                              "aria-label": "Where the facilitator is" });
    const nav = h("nav", { class: "rd-day", "aria-label": "Sessions of the day" },
                  list, note, banner);
    el.appendChild(nav);
    document.body.classList.add("rd-day-page");

    // ------------------------------------------------------------ what belongs to a session

    function firstSessionCells() {
      const cells = [];
      let cell = ownCell.nextElementSibling;
      while (cell) {
        if (cell.querySelector(".rd-day-places") || !cell.nextElementSibling) break;
        cells.push(cell);
        cell = cell.nextElementSibling;
      }
      return cells;
    }

    function nodesOf(number) {
      if (number === 1) return firstSessionCells();
      return Array.from(document.querySelectorAll(`.rd-day-later--${number}`));
    }

    const seen = new Set([1]); // the sessions whose place has been found in the page

    function putAside(number) {
      if (aside.has(number)) return;
      const kept = nodesOf(number).map((node) => {
        const marker = document.createComment(`session ${number}`);
        node.replaceWith(marker);
        return [node, marker];
      });
      if (!kept.length) return; // not drawn yet: the watcher below keeps it aside when it is
      seen.add(number);
      aside.set(number, kept);
    }

    function bringBack(number) {
      const kept = aside.get(number);
      if (!kept) return;
      for (const [node, marker] of kept) marker.replaceWith(node);
      aside.delete(number);
    }

    // A later session's place appears when the page's last cell is drawn: keep it aside
    // unless it is the session in view. Once every place has been seen, stop watching.
    const watcher = new MutationObserver(() => {
      for (const n of known) {
        if (seen.has(n) || !nodesOf(n).length) continue;
        seen.add(n);
        if (n !== current) putAside(n);
      }
      if (seen.size === known.length) watcher.disconnect();
    });
    watcher.observe(document.body, { childList: true, subtree: true });

    // ------------------------------------------------------------------------ switching

    function drawn(number) {
      return (model.get("opened") || []).includes(number);
    }

    function markReady() {
      if (current !== null && drawn(current)) {
        nav.dataset.ready = String(current);
        document.body.dataset.rdDaySession = String(current);
      } else {
        delete nav.dataset.ready;
      }
      for (const [n, b] of buttons) {
        b.setAttribute("aria-current", n === current ? "true" : "false");
        b.classList.toggle("rd-day__button--loading", n === current && !drawn(n));
      }
      const loading = current !== null && !drawn(current);
      if (loading) {
        note.textContent = `Opening session ${current}…`;
        note.dataset.kind = "loading";
      } else if (note.dataset.kind === "loading") {
        note.textContent = "";
        note.dataset.kind = "";
      }
    }

    function go(number, { push = false, restore = false, why = "" } = {}) {
      if (!known.includes(number)) number = known[0];
      if (current !== null && current !== number) saveScroll(current);
      const first = current === null;
      const changed = current !== number;
      current = number;
      bringBack(number);
      for (const n of known) if (n !== number) putAside(n);
      const hash = `#session-${number}`;
      if (push && window.location.hash !== hash) {
        history.pushState(null, "", hash);
      } else if (window.location.hash !== hash && (first || why)) {
        history.replaceState(null, "", hash);
      }
      note.textContent = why;
      note.dataset.kind = why ? "why" : "";
      if (model.get("session") !== number) {
        model.set("session", number);
        model.save_changes();
      }
      markReady();
      if (changed && !first) {
        const saved = readScroll()[number];
        if (saved !== undefined) window.scrollTo(0, saved);
        else nav.scrollIntoView({ block: "start" });
      } else if (first && restore) {
        const saved = readScroll()[number];
        if (saved) requestAnimationFrame(() => window.scrollTo(0, saved));
      }
    }

    function fromAddress({ first = false } = {}) {
      const asked = askedSession(window.location.hash, known);
      if (asked === null) {
        if (first) go(known[0], { restore: true });
        return;
      }
      if (asked === "bad") {
        const given = window.location.hash.slice(1, 40);
        go(known[0], { why: `There is no “${given}” in this day: here is session ${known[0]}.` });
        return;
      }
      go(asked, { restore: first });
    }

    const onHash = () => fromAddress();
    window.addEventListener("hashchange", onHash);
    window.addEventListener("popstate", onHash);
    window.addEventListener("pagehide", () => { if (current !== null) saveScroll(current); });

    let ahead = null;
    function prepareNext() {
      clearTimeout(ahead);
      const next = known.find((n) => n > (current || 0) && !drawn(n));
      if (next === undefined) return;
      const [low, high] = AHEAD_AFTER_MS;
      ahead = setTimeout(() => {
        const ask = () => {
          if (drawn(next) || model.get("prefetch") === next) return;
          model.set("prefetch", next);
          model.save_changes();
        };
        if (window.requestIdleCallback) window.requestIdleCallback(ask, { timeout: 5000 });
        else ask();
      }, low + Math.random() * (high - low));
    }

    model.on("change:opened", () => { markReady(); prepareNext(); });
    model.on("change:message", () => {
      const text = model.get("message");
      if (text) { note.textContent = text; note.dataset.kind = "why"; }
    });
    model.on("change:shown", () => {
      const shown = model.get("shown");
      if (shown !== current && model.get("message")) go(shown);
    });

    // --------------------------------------------------------- follow the facilitator

    const base = (document.body.dataset.baseUrl || "/voila/").replace(/voila\/$/, "");
    const workshop = new URLSearchParams(window.location.search).get("workshop") || "";
    let dismissed = null;
    let timer = null;

    function showBanner(number) {
      banner.replaceChildren();
      if (!known.includes(number) || number === current || number === dismissed) {
        banner.hidden = true;
        return;
      }
      const title = sessions.find((s) => s.number === number).title;
      const goButton = h("button", { type: "button", class: "rd-day__go",
                                     text: `Go to session ${number}` });
      goButton.addEventListener("click", () => { banner.hidden = true; go(number, { push: true }); });
      const later = h("button", { type: "button", class: "rd-day__later", text: "Not now" });
      later.addEventListener("click", () => { dismissed = number; banner.hidden = true; });
      banner.append(h("p", { text: `The room has moved on to session ${number}: ${title}.` }),
                    goButton, later);
      banner.hidden = false;
    }

    async function poll() {
      try {
        const query = workshop ? `?workshop=${encodeURIComponent(workshop)}` : "";
        const answer = await fetch(`${base}rdlearn/now${query}`, { cache: "no-store" });
        if (answer.ok) {
          const body = await answer.json();
          if (Number.isInteger(body.session)) showBanner(body.session);
        }
      } catch { /* offline for a moment: ask again later */ }
    }

    function schedule() {
      clearTimeout(timer);
      if (document.visibilityState === "visible") {
        timer = setTimeout(() => { poll().finally(schedule); }, FOLLOW_POLL_MS);
      }
    }
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") poll().finally(schedule);
    });

    fromAddress({ first: true });
    poll().finally(schedule);
    prepareNext();

    return () => {
      watcher.disconnect();
      clearTimeout(timer);
      clearTimeout(ahead);
      window.removeEventListener("hashchange", onHash);
      window.removeEventListener("popstate", onHash);
    };
  },
};
