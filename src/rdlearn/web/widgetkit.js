// rdlearn: what every widget's browser code shares (an ES module imported by the others).
// DOM building that never parses HTML, the browser's storage, the anonymous token and the
// code alphabet (the same rules as rdlearn/web/codes.py). Nothing here reaches the network.

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

let counter = 0;
/** An element id unique on the page, starting with `prefix`. */
export function uid(prefix, base) {
  counter += 1;
  return `${prefix}-${base}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Build an element; attributes are set as attributes, `text` as textContent (never HTML). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
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
