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

/** A soft two-note chime on a WebAudio context; silent if there is none or it fails. */
export function chime(audio) {
  if (!audio) return;
  try {
    const t0 = audio.currentTime + 0.05;
    [523.25, 659.25].forEach((frequency, i) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = frequency;
      const start = t0 + i * 0.45;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 1.4);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 1.5);
    });
  } catch (err) {
    // No sound is better than a broken widget.
  }
}
