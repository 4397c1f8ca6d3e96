// rdlearn: the private journal, the workbook and the browser store (an anywidget module).
// Everything a participant writes stays in this browser's localStorage: nothing typed is
// sent to the kernel, and nothing is fetched from the internet. Text is only ever put into
// the page with textContent, and escaped in the downloaded HTML.

import {
  ERASED, FLUSH, SAVED, confirmBox as makeConfirmBox, getStorage, h, onWindow, parseItem, uid,
} from "./widgetkit.js";

const SAVE_DELAY_MS = 300;
const PRIVATE_NOTE = "Only you can see this: it is saved in this browser, never on the server.";

// ------------------------------------------------------------------ small helpers

function button(label, testid, kind = "") {
  return h("button", { type: "button", class: `rdj-button ${kind}`.trim(), "data-testid": testid, text: label });
}

function textOf(item) {
  return item && item.type === "reflection" && typeof item.text === "string" ? item.text : "";
}

/** Characters as a person counts them: an emoji is one, not two. */
export function countChars(text) {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

function number(n) {
  return Number(n).toLocaleString("en-GB");
}

function dateText(when, withTime = false) {
  const date = when instanceof Date ? when : new Date(when);
  if (Number.isNaN(date.getTime())) return "";
  const options = { day: "numeric", month: "long", year: "numeric" };
  if (withTime) Object.assign(options, { hour: "2-digit", minute: "2-digit" });
  return date.toLocaleString("en-GB", options);
}

// ------------------------------------------------------------------ the character limit

function isHigh(code) {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLow(code) {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Keep a text within `max` characters after an edit, cutting only what the edit added.
 * `before` is the text before the edit, `after` the text the browser produced.
 * Returns {text, caret, cut}: the text to keep, where to put the caret, and how many
 * characters were left out (0 when the edit fits).
 */
export function limitInsertion(before, after, max) {
  if (countChars(after) <= max) return { text: after, caret: null, cut: 0 };
  const shortest = Math.min(before.length, after.length);
  let start = 0;
  while (start < shortest && before[start] === after[start]) start += 1;
  if (start > 0 && isHigh(after.charCodeAt(start - 1))) start -= 1;
  let end = 0;
  while (
    end < shortest - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  ) {
    end += 1;
  }
  if (end > 0 && isLow(after.charCodeAt(after.length - end))) end -= 1;
  const inserted = Array.from(after.slice(start, after.length - end));
  const kept = before.slice(0, start) + before.slice(before.length - end);
  const room = Math.max(0, max - countChars(kept));
  const allowed = inserted.slice(0, room).join("");
  return {
    text: after.slice(0, start) + allowed + after.slice(after.length - end),
    caret: start + allowed.length,
    cut: inserted.length - Math.min(room, inserted.length),
  };
}

// ------------------------------------------------------------------ one journal entry

function renderEntry({ model, el }) {
  const key = model.get("storage_key");
  const conflictKey = `${key}:conflict`;
  const max = model.get("max_chars");
  const pid = model.get("prompt_id");
  const storage = getStorage();
  const ids = { title: uid("rdj", "title"), text: uid("rdj", "text"), hint: uid("rdj", "hint"), count: uid("rdj", "count") };

  const title = h("h3", { class: "rdj-title", id: ids.title, text: model.get("title") });
  const label = h("label", { class: "rdj-prompt", for: ids.text, text: model.get("prompt") });
  const hintText = [model.get("hint"), PRIVATE_NOTE].filter(Boolean).join(" ");
  const hint = h("p", { class: "rdj-hint", id: ids.hint, text: hintText });
  const area = h("textarea", {
    id: ids.text,
    class: "rdj-text",
    dir: "auto",
    rows: 8,
    spellcheck: "true",
    "aria-describedby": `${ids.hint} ${ids.count}`,
    "data-testid": `journal-text-${pid}`,
  });
  const count = h("p", { class: "rdj-count", id: ids.count, "data-testid": `journal-count-${pid}` });
  const status = h("p", {
    class: "rdj-status",
    role: "status",
    "aria-live": "polite",
    "data-testid": `journal-status-${pid}`,
  });
  const limit = h("p", { class: "rdj-limit", "aria-live": "polite", "data-testid": `journal-limit-${pid}` });
  const noticeText = h("p", {
    id: uid("rdj", "notice"),
    text:
      "This answer was changed in another tab or window while you were writing here. " +
      "Which text do you want to keep? The other one is not lost: it stays in your workbook " +
      "as a separate version.",
  });
  const useOther = button("Use the other tab's text", `journal-use-other-${pid}`);
  const keepMine = button("Keep mine", `journal-keep-mine-${pid}`);
  const notice = h(
    "div",
    { class: "rdj-notice", role: "group", "aria-labelledby": noticeText.id, "data-testid": `journal-conflict-${pid}` },
    noticeText,
    h("div", { class: "rdj-actions" }, useOther, keepMine),
  );
  notice.hidden = true;
  const kept = h("p", {
    class: "rdj-kept",
    "data-testid": `journal-kept-${pid}`,
    text: "A second version of this answer, kept when two tabs disagreed, is in your workbook download.",
  });
  kept.hidden = true;
  const footer = h("div", { class: "rdj-footer" }, status, count);
  const root = h(
    "section",
    { class: "rdj rdj-entry", "aria-labelledby": ids.title, "data-testid": `journal-${pid}` },
    title, label, hint, area, footer, limit, notice, kept,
  );
  el.append(root);

  let lastStored = storage ? textOf(parseItem(storage.getItem(key))) : "";
  let before = lastStored;
  let timer = null;
  let inConflict = false;
  area.value = lastStored;

  function setStatus(text, kind = "") {
    if (status.textContent !== text) status.textContent = text;
    status.className = `rdj-status ${kind}`.trim();
  }

  function updateCount() {
    const n = countChars(area.value);
    count.textContent = `${number(n)} / ${number(max)} characters`;
    count.classList.toggle("rdj-count--near", n >= max * 0.9);
    if (n < max && limit.textContent) limit.textContent = "";
  }

  function updateKept() {
    kept.hidden = !(storage && textOf(parseItem(storage.getItem(conflictKey))));
  }

  function writeEntry(target, text) {
    if (text === "") {
      storage.removeItem(target);
      return;
    }
    const item = {
      type: "reflection",
      session: model.get("session"),
      prompt_id: pid,
      prompt: model.get("prompt"),
      text,
      updated: new Date().toISOString(),
    };
    storage.setItem(target, JSON.stringify(item));
  }

  function saveNow() {
    clearTimeout(timer);
    timer = null;
    if (!storage) return;
    try {
      if (inConflict) {
        writeEntry(conflictKey, area.value);
        setStatus("Saved in this browser as a separate version until you choose below.", "rdj-status--warn");
      } else {
        writeEntry(key, area.value);
        lastStored = area.value;
        setStatus("Saved in this browser");
      }
      window.dispatchEvent(new CustomEvent(SAVED));
    } catch (err) {
      setStatus(
        "Could not save in this browser (it may be full). Download your workbook to keep a copy.",
        "rdj-status--error",
      );
    }
    updateKept();
  }

  function flush() {
    if (timer !== null) saveNow();
  }

  function onEdit(event) {
    if (event && event.isComposing) {
      updateCount();
      return;
    }
    const result = limitInsertion(before, area.value, max);
    if (result.cut > 0) {
      area.value = result.text;
      area.setSelectionRange(result.caret, result.caret);
      limit.textContent =
        `An answer can hold up to ${number(max)} characters, so the last ${number(result.cut)} ` +
        "characters you added were left out. Everything you had already written is kept.";
    }
    before = area.value;
    updateCount();
    if (!storage) return;
    setStatus("Saving…");
    clearTimeout(timer);
    timer = setTimeout(saveNow, SAVE_DELAY_MS);
  }

  function showText(text) {
    area.value = text;
    before = text;
    updateCount();
  }

  function leaveConflict(message) {
    inConflict = false;
    notice.hidden = true;
    setStatus(message);
    updateKept();
    area.focus();
  }

  useOther.addEventListener("click", () => {
    saveNow(); // while in conflict this keeps this tab's text as the separate version
    const theirs = textOf(parseItem(storage.getItem(key)));
    lastStored = theirs;
    showText(theirs);
    leaveConflict("Showing the other tab's text. Your text from this tab is kept in your workbook.");
  });

  keepMine.addEventListener("click", () => {
    clearTimeout(timer);
    timer = null;
    const theirs = textOf(parseItem(storage.getItem(key)));
    try {
      writeEntry(conflictKey, theirs);
      inConflict = false;
      writeEntry(key, area.value);
      lastStored = area.value;
      leaveConflict("Kept your text. The other tab's text is kept in your workbook.");
    } catch (err) {
      setStatus("Could not save in this browser (it may be full).", "rdj-status--error");
    }
  });

  function onStorage(event) {
    if (!storage || (event.storageArea && event.storageArea !== storage)) return;
    if (event.key === conflictKey) {
      updateKept();
      return;
    }
    if (event.key !== key && event.key !== null) return;
    const theirs = textOf(parseItem(event.key === null ? null : event.newValue));
    const unsaved = timer !== null || area.value !== lastStored;
    if (theirs === area.value) {
      lastStored = theirs;
      if (inConflict) leaveConflict("Both tabs now hold the same text.");
      return;
    }
    if (theirs === "" && !unsaved) {
      lastStored = "";
      showText("");
      setStatus("This answer was erased in another tab.");
      return;
    }
    if (!unsaved && !inConflict) {
      lastStored = theirs;
      showText(theirs);
      setStatus("Updated with the text written in another tab.");
      return;
    }
    lastStored = theirs;
    if (!inConflict) {
      inConflict = true;
      saveNow(); // keep this tab's text safe as the separate version straight away
      notice.hidden = false;
      setStatus("This answer was changed in another tab: choose which text to keep.", "rdj-status--warn");
    }
  }

  function onErased() {
    clearTimeout(timer);
    timer = null;
    inConflict = false;
    notice.hidden = true;
    lastStored = "";
    showText("");
    setStatus("Erased from this browser.");
    updateKept();
  }

  area.addEventListener("input", onEdit);
  area.addEventListener("compositionend", onEdit);
  area.addEventListener("blur", flush);
  const stopListening = onWindow({ storage: onStorage, [ERASED]: onErased, [FLUSH]: flush,
                                  pagehide: flush });

  updateCount();
  updateKept();
  if (!storage) {
    setStatus(
      "This browser is not letting rdlearn save anything (private browsing, or storage is " +
        "turned off). Your text will be lost when you leave this page.",
      "rdj-status--error",
    );
  } else if (lastStored) {
    setStatus("Saved in this browser");
  }

  return () => {
    flush();
    stopListening();
  };
}

// ------------------------------------------------------------------ the workbook

/** Every rdlearn item in a storage area, as {key: parsed item}. */
export function collectItems(storage, prefix) {
  const items = {};
  if (!storage) return items;
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (key && key.startsWith(prefix) && key !== `${prefix}probe`) items[key] = parseItem(storage.getItem(key));
  }
  return items;
}

/**
 * Arrange saved items into the workbook: each session's reflections in the order of its
 * prompts (with any second version kept after a two-tab conflict), then self-checks, then
 * anything else rdlearn saved.
 */
export function arrangeWorkbook(items, sessions, prefix) {
  const used = new Set();
  const reflectionKey = (id) => `${prefix}reflection:${id}`;
  const entry = (key, title, fallbackPrompt, version) => {
    const item = items[key];
    if (!item || item.type !== "reflection") return null;
    used.add(key);
    const text = textOf(item);
    if (!text.trim()) return null;
    const prompt = typeof item.prompt === "string" && item.prompt ? item.prompt : fallbackPrompt;
    return { title, prompt, text, updated: item.updated || "", version };
  };
  const book = { sessions: [], selfchecks: [], others: [] };
  for (const session of sessions) {
    const entries = [];
    for (const p of session.prompts) {
      for (const [key, version] of [
        [reflectionKey(p.id), "main"],
        [`${reflectionKey(p.id)}:conflict`, "conflict"],
      ]) {
        if (key in items) {
          const found = entry(key, p.title, p.prompt, version);
          if (found) entries.push(found);
        }
      }
    }
    const extra = Object.keys(items)
      .filter((key) => !used.has(key) && items[key] && items[key].type === "reflection" && items[key].session === session.number)
      .sort();
    for (const key of extra) {
      const found = entry(key, items[key].prompt_id || key.slice(prefix.length), "", key.endsWith(":conflict") ? "conflict" : "main");
      if (found) entries.push(found);
    }
    book.sessions.push({ number: session.number, title: session.title, entries });
  }
  for (const key of Object.keys(items).sort()) {
    if (used.has(key)) continue;
    const item = items[key];
    if (item && item.type === "reflection") {
      const found = entry(key, item.prompt_id || key.slice(prefix.length), "", "main");
      if (found) book.others.push({ name: found.title, text: `${found.prompt}\n\n${found.text}`.trim() });
    } else if (item && item.type === "selfcheck") {
      const lines = Array.isArray(item.lines) ? item.lines.map(String) : [];
      book.selfchecks.push({ title: String(item.title || item.instrument || key.slice(prefix.length)), lines, updated: item.updated || "" });
    } else if (item && typeof item.type === "string" && item.type.endsWith("-token")) {
      continue; // anonymous tokens of the room and the pairs exercise: not the participant's writing
    } else if (item && typeof item.title === "string" && Array.isArray(item.lines)) {
      book.others.push({ name: item.title, text: item.lines.map(String).join("\n") });
    } else {
      const text = item && item.type === "unreadable" ? item.raw : JSON.stringify(item, null, 2);
      book.others.push({ name: key.slice(prefix.length), text });
    }
  }
  return book;
}

function isEmpty(book) {
  return book.sessions.every((s) => s.entries.length === 0) && !book.selfchecks.length && !book.others.length;
}

const INTRO =
  "What you wrote in the rdlearn workshop pages. This file was made in your own browser " +
  "and was not sent to anyone.";
const NOTHING = "Nothing has been saved in this browser yet.";
const CONFLICT_TITLE = "second version, kept when two tabs disagreed";

function mdText(text) {
  return String(text)
    .replace(/\r\n?/g, "\n")
    .replace(/</g, "\\<")
    .split("\n")
    .join("  \n");
}

/** The workbook as Markdown. */
export function workbookMarkdown(book, title, now) {
  const out = [`# ${mdText(title)}`, "", `Downloaded on ${dateText(now)}.`, "", INTRO, ""];
  if (isEmpty(book)) out.push(NOTHING, "");
  for (const session of book.sessions) {
    if (!session.entries.length) continue;
    out.push(`## Session ${session.number}: ${mdText(session.title)}`, "");
    for (const e of session.entries) {
      out.push(`### ${mdText(e.title)}${e.version === "conflict" ? ` (${CONFLICT_TITLE})` : ""}`, "");
      if (e.prompt) out.push(`> ${mdText(e.prompt)}`, "");
      out.push(mdText(e.text), "");
      if (e.updated) out.push(`*Last changed ${dateText(e.updated, true)}*`, "");
    }
  }
  if (book.selfchecks.length) {
    out.push("## Self-checks", "");
    for (const s of book.selfchecks) {
      out.push(`### ${mdText(s.title)}`, "");
      for (const line of s.lines) out.push(`- ${mdText(line)}`);
      if (s.lines.length) out.push("");
      if (s.updated) out.push(`*Saved ${dateText(s.updated, true)}*`, "");
    }
  }
  if (book.others.length) {
    out.push("## Other things saved by rdlearn", "");
    for (const o of book.others) out.push(`### ${mdText(o.name)}`, "", mdText(o.text), "");
  }
  return out.join("\n");
}

/** Escape text for HTML. */
export function esc(text) {
  return String(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const PRINT_CSS = `
body { font-family: Georgia, "Times New Roman", serif; color: #1f2328; background: #fff;
  max-width: 42rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; font-size: 17px; }
h1 { font-size: 1.9rem; margin-bottom: .25rem; }
h2 { font-size: 1.35rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin-bottom: .25rem; }
.date, .intro, .updated { color: #505a64; }
.prompt { font-style: italic; border-left: 3px solid #005a8f; padding-left: .75rem; margin: .25rem 0 .75rem; }
.answer { white-space: pre-wrap; overflow-wrap: anywhere; }
.updated { font-size: .85rem; }
article { margin-bottom: 1.75rem; }
@page { margin: 2cm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11.5pt; color: #000; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, .prompt { break-after: avoid; page-break-after: avoid; }
  article { break-inside: avoid; page-break-inside: avoid; }
  .prompt { border-left-color: #000; }
}`;

/** The workbook as a printable HTML page: all text escaped, no scripts, nothing fetched. */
export function workbookHtml(book, title, now) {
  const parts = [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${PRINT_CSS}</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<h1>${esc(title)}</h1>`,
    `<p class="date">Downloaded on ${esc(dateText(now))}.</p>`,
    `<p class="intro">${esc(INTRO)}</p>`,
  ];
  if (isEmpty(book)) parts.push(`<p>${esc(NOTHING)}</p>`);
  for (const session of book.sessions) {
    if (!session.entries.length) continue;
    parts.push(`<section><h2>Session ${esc(session.number)}: ${esc(session.title)}</h2>`);
    for (const e of session.entries) {
      const suffix = e.version === "conflict" ? ` (${esc(CONFLICT_TITLE)})` : "";
      parts.push(`<article><h3 dir="auto">${esc(e.title)}${suffix}</h3>`);
      if (e.prompt) parts.push(`<p class="prompt" dir="auto">${esc(e.prompt)}</p>`);
      parts.push(`<div class="answer" dir="auto">${esc(e.text)}</div>`);
      if (e.updated) parts.push(`<p class="updated">Last changed ${esc(dateText(e.updated, true))}</p>`);
      parts.push("</article>");
    }
    parts.push("</section>");
  }
  if (book.selfchecks.length) {
    parts.push("<section><h2>Self-checks</h2>");
    for (const s of book.selfchecks) {
      parts.push(`<article><h3 dir="auto">${esc(s.title)}</h3>`);
      if (s.lines.length) parts.push(`<ul>${s.lines.map((l) => `<li dir="auto">${esc(l)}</li>`).join("")}</ul>`);
      if (s.updated) parts.push(`<p class="updated">Saved ${esc(dateText(s.updated, true))}</p>`);
      parts.push("</article>");
    }
    parts.push("</section>");
  }
  if (book.others.length) {
    parts.push("<section><h2>Other things saved by rdlearn</h2>");
    for (const o of book.others) {
      parts.push(`<article><h3 dir="auto">${esc(o.name)}</h3><div class="answer" dir="auto">${esc(o.text)}</div></article>`);
    }
    parts.push("</section>");
  }
  parts.push("</main>", "</body>", "</html>", "");
  return parts.join("\n");
}

function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: filename });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function summaryText(book) {
  const reflections = book.sessions.reduce((n, s) => n + s.entries.filter((e) => e.version === "main").length, 0);
  const checks = book.selfchecks.length;
  if (!reflections && !checks && !book.others.length) return NOTHING;
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `Saved in this browser: ${plural(reflections, "reflection")} and ${plural(checks, "self-check")}.`;
}

function renderWorkbook({ model, el }) {
  const prefix = model.get("prefix");
  const title = model.get("title");
  const storage = getStorage();
  const headingId = uid("rdj", "workbook");
  const summary = h("p", { class: "rdj-summary", "data-testid": "workbook-summary" });
  const mdButton = button("Download my workbook (Markdown)", "workbook-download-md", "rdj-button--primary");
  const htmlButton = button("Download printable page (HTML)", "workbook-download-html", "rdj-button--primary");
  const eraseButton = button("Erase my answers", "workbook-erase", "rdj-button--danger");
  const confirmYes = button("Yes, erase my answers", "workbook-erase-confirm", "rdj-button--danger");
  const confirmNo = button("Cancel", "workbook-erase-cancel");
  const confirmBox = makeConfirmBox({
    prefix: "rdj", kind: "rdj-notice--danger", id: uid("rdj", "confirm"), yes: confirmYes, no: confirmNo,
    testid: "workbook-erase-box",
    text:
      "Erase every answer rdlearn has saved in this browser, on every page? This cannot be " +
      "undone. If you want a copy, download your workbook first.",
  });
  const status = h("p", { class: "rdj-status", role: "status", "aria-live": "polite", "data-testid": "workbook-status" });
  const root = h(
    "section",
    { class: "rdj rdj-workbook", "aria-labelledby": headingId, "data-testid": "workbook" },
    h("h3", { class: "rdj-title", id: headingId, text: title }),
    h("p", {
      class: "rdj-hint",
      text:
        "Everything you write on these pages is kept in this browser only. Download it to " +
        "keep a copy; erase it when you have finished, especially on a shared computer.",
    }),
    summary,
    h("div", { class: "rdj-actions" }, mdButton, htmlButton, eraseButton),
    confirmBox,
    status,
  );
  el.append(root);

  function currentBook() {
    return arrangeWorkbook(collectItems(storage, prefix), model.get("sessions"), prefix);
  }
  function refresh() {
    summary.textContent = storage ? summaryText(currentBook()) : "This browser is not letting rdlearn save anything.";
  }
  function stamp(now) {
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }
  function save(kind) {
    window.dispatchEvent(new CustomEvent(FLUSH));
    const now = new Date();
    const book = currentBook();
    const name = `relational-depth-workbook-${stamp(now)}`;
    if (kind === "md") download(`${name}.md`, workbookMarkdown(book, title, now), "text/markdown;charset=utf-8");
    else download(`${name}.html`, workbookHtml(book, title, now), "text/html;charset=utf-8");
    status.textContent = `Your workbook was downloaded as ${name}.${kind === "md" ? "md" : "html"}.`;
    refresh();
  }
  mdButton.addEventListener("click", () => save("md"));
  htmlButton.addEventListener("click", () => save("html"));
  eraseButton.addEventListener("click", () => {
    confirmBox.hidden = false;
    status.textContent = "";
    confirmNo.focus();
  });
  confirmNo.addEventListener("click", () => {
    confirmBox.hidden = true;
    status.textContent = "Nothing was erased.";
    eraseButton.focus();
  });
  confirmYes.addEventListener("click", () => {
    const keys = Object.keys(collectItems(storage, prefix));
    for (const key of keys) storage.removeItem(key);
    window.dispatchEvent(new CustomEvent(ERASED));
    confirmBox.hidden = true;
    status.textContent = "Your answers have been erased from this browser.";
    refresh();
    eraseButton.focus();
  });

  const onChange = (event) => {
    if (!event || event.type !== "storage" || event.key === null || event.key.startsWith(prefix)) refresh();
  };
  const stopListening = onWindow({ storage: onChange, [SAVED]: onChange, [ERASED]: onChange });
  refresh();
  return stopListening;
}

// ------------------------------------------------------------------ the browser store

function renderStore({ model, el }) {
  el.style.display = "none";
  const key = model.get("key");
  const storage = getStorage();
  if (!storage) return undefined;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const saved = parseItem(storage.getItem(key));
  if (saved !== null && saved.type !== "unreadable") {
    if (!same(saved, model.get("value"))) {
      model.set("value", saved);
      model.save_changes();
    }
  } else if (model.get("value") !== null) {
    storage.setItem(key, JSON.stringify(model.get("value")));
  }
  const onValue = () => {
    const value = model.get("value");
    try {
      if (value === null) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(value));
      window.dispatchEvent(new CustomEvent(SAVED));
    } catch (err) {
      // storage full: the value stays in the page; nothing else can be done here
    }
  };
  const fromElsewhere = (value) => {
    if (!same(value, model.get("value"))) {
      model.set("value", value);
      model.save_changes();
    }
  };
  const onStorage = (event) => {
    if (event.key === key || event.key === null) {
      const item = parseItem(event.key === null ? null : event.newValue);
      fromElsewhere(item && item.type !== "unreadable" ? item : null);
    }
  };
  const onErased = () => fromElsewhere(null);
  model.on("change:value", onValue);
  const stopListening = onWindow({ storage: onStorage, [ERASED]: onErased });
  return () => {
    model.off("change:value", onValue);
    stopListening();
  };
}

// ------------------------------------------------------------------ entry point

const VIEWS = { entry: renderEntry, workbook: renderWorkbook, store: renderStore };

function render(context) {
  const view = VIEWS[context.model.get("kind")];
  return view ? view(context) : undefined;
}

export default { render };
