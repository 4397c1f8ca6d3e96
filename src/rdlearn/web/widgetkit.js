// rdlearn: what every widget's browser code shares (an ES module imported by the others).
// DOM building that never parses HTML, the browser's storage, the two-note chime, the
// anonymous token and the code alphabet (the same rules as rdlearn/web/codes.py). Nothing here reaches the network.

/** Letters and digits that cannot be mistaken for one another (as in web/codes.py). */
export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** A code of `length` characters from that alphabet. */
export function codePattern(length = 6) {
  return new RegExp(`^[${CODE_ALPHABET}]{${length}}$`);
}
/** What a browser token looks like (as TOKEN_PATTERN in web/codes.py). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** A fresh anonymous browser token: 32 hexadecimal digits from the browser's random source. */
export function newToken() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Where the room's anonymous browser token is kept (the workshop pages and the hall's page). */
export const ROOM_TOKEN_KEY = "rdlearn:v1:token";

/**
 * This browser's anonymous room token: the one kept under `key`, or a fresh one that is kept
 * from now on (in private browsing it lasts as long as the page). It stops double votes and
 * identifies nobody.
 */
export function roomToken(key = ROOM_TOKEN_KEY) {
  try {
    const item = JSON.parse(window.localStorage.getItem(key) || "null");
    if (item && typeof item.token === "string" && TOKEN_PATTERN.test(item.token)) return item.token;
  } catch (err) {
    // unreadable or unavailable storage: a fresh token below
  }
  const token = newToken();
  try {
    window.localStorage.setItem(key, JSON.stringify(
      { type: "group-token", token, updated: new Date().toISOString() }));
  } catch (err) {
    // private browsing: the token lasts as long as the page
  }
  return token;
}

let counter = 0;
/** An element id unique on the page, starting with `prefix`. */
export function uid(prefix, base) {
  counter += 1;
  return `${prefix}-${base}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Set attributes on `node` (skipping null, undefined and false); `text` sets textContent. */
export function setAttributes(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  return node;
}

/** Build an element; attributes are set as attributes, `text` as textContent (never HTML). */
export function h(tag, attrs = {}, ...children) {
  const node = setAttributes(document.createElement(tag), attrs);
  node.append(...children);
  return node;
}

/** The browser's localStorage if it can be written to, else null (private mode, full, off). */
export function getStorage() {
  try {
    const store = window.localStorage;
    const probe = "rdlearn:v1:probe";
    store.setItem(probe, "1");
    store.removeItem(probe);
    return store;
  } catch (err) {
    return null;
  }
}

/**
 * A stored item read back. A damaged item (not JSON) is kept as
 * `{type: "unreadable", raw}` so that nothing a participant wrote is silently dropped.
 */
export function parseItem(raw) {
  if (raw === null || raw === undefined) return null;
  try {
    return JSON.parse(raw);
  } catch (err) {
    return { type: "unreadable", raw: String(raw) };
  }
}

/**
 * A soft rising two-note chime on a WebAudio context; silent if there is none or it fails.
 * `gap` is the seconds between the notes, `peak` their loudness, `decay` how long each rings
 * (the timer's end tone uses the defaults; the connection exercise's minute cue is quieter).
 */
export function chime(audio, { gap = 0.45, peak = 0.18, decay = 1.4 } = {}) {
  if (!audio) return;
  try {
    const t0 = audio.currentTime + 0.05;
    [523.25, 659.25].forEach((frequency, i) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = frequency;
      const start = t0 + i * gap;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(peak, start + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + decay);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + decay + 0.1);
    });
  } catch (err) {
    // No sound is better than a broken widget.
  }
}

/**
 * The page's WebAudio context, made or resumed now: browsers allow sound only after a click
 * or a key, so call this from one. Returns `audio` (or a new context), or null without sound.
 */
export function unlockAudio(audio) {
  try {
    const Context = window.AudioContext || window.webkitAudioContext;
    const ready = audio || (Context ? new Context() : null);
    if (ready && ready.state === "suspended") ready.resume();
    return ready;
  } catch (err) {
    return null;
  }
}

/**
 * A hidden "are you sure?" group: the question (`id`, `text`) and its two buttons.
 * `prefix` is the widget's class prefix (`rdj`, `rdm`), `kind` an extra class for the box.
 */
export function confirmBox({ prefix, kind = "", id, text, yes, no, testid }) {
  const question = h("p", { id, text });
  const box = h(
    "div",
    { class: `${prefix}-notice ${kind}`.trim(), role: "group", "aria-labelledby": id, "data-testid": testid },
    question,
    h("div", { class: `${prefix}-actions` }, yes, no),
  );
  box.hidden = true;
  return box;
}

/** Events the widgets of one page send each other (the workbook, the journal, the map). */
export const ERASED = "rdlearn:erased"; // the workbook erased every answer
export const FLUSH = "rdlearn:flush"; // save any pending typing now
export const SAVED = "rdlearn:saved"; // something was saved

/** Listen on `window` for each `{event: handler}`; returns the function that stops them all. */
export function onWindow(handlers) {
  const pairs = Object.entries(handlers);
  for (const [event, handler] of pairs) window.addEventListener(event, handler);
  return () => {
    for (const [event, handler] of pairs) window.removeEventListener(event, handler);
  };
}
