// rdlearn: the private relationship map (an anywidget module).
// The people, groups and notes a participant enters stay in this browser's localStorage:
// nothing entered is sent to the kernel, and nothing is fetched from the internet. Every
// piece of text reaches the page through textContent or SVG text nodes, never as HTML.

import {
  ERASED, FLUSH, SAVED, confirmBox, getStorage, h, onWindow, parseItem, setAttributes, uid,
} from "./widgetkit.js";

const SAVE_DELAY_MS = 300;
// The same page events as the journal (journal.js), so the workbook and the map agree.
const ITEM_TYPE = "relationship-map";
const UNREADABLE_NOTE =
  "The map saved earlier in this browser could not be read, so it has been left as it was " +
  "(the workbook download includes it as text). Nothing new is saved until you choose " +
  "\u201cClear my map\u201d, which replaces it.";
const LABEL_CHARS = 16; // longest label drawn on the map; the table shows the full name
const SHORT_LABEL_CHARS = 8; // used where a ring is crowded
const TINY_LABEL_CHARS = 4; // used where it is very crowded
const FONT_SIZE = 15; // labels on the map, in drawing units (as in the stylesheet)
const RING_FONT_SIZE = 13;
const VIEW = 340; // the drawing spans -340..340 in both directions

// ------------------------------------------------------------------ small helpers

let svgNamespace = null;
/** An SVG element. The namespace is read from the browser, so no URL appears in this file. */
function s(tag, attrs = {}, ...children) {
  if (svgNamespace === null) {
    const parsed = new DOMParser().parseFromString("<svg></svg>", "text/html");
    svgNamespace = parsed.body.firstChild.namespaceURI;
  }
  const node = setAttributes(document.createElementNS(svgNamespace, tag), attrs);
  node.append(...children);
  return node;
}

function button(label, testid, kind = "") {
  return h("button", { type: "button", class: `rdm-button ${kind}`.trim(), "data-testid": testid, text: label });
}

/** Characters as a person counts them: an emoji is one, not two. */
export function countChars(text) {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** The first `max` characters of a text (never splitting an emoji). */
export function cutChars(text, max) {
  return Array.from(text).slice(0, max).join("");
}

/** One line of text: control characters become spaces, ends trimmed, at most `max` characters. */
export function cleanLine(value, max) {
  if (typeof value !== "string") return "";
  return cutChars(value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim(), max).trim();
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/** "A", "A and B", "A, B and C". */
export function listText(names) {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

// ------------------------------------------------------------------ the layout (as in Python)

function ringRadius(ring, geo) {
  return (geo.ring_edges[ring] + geo.ring_edges[ring + 1]) / 2;
}

/** How many staggered circles `count` entries need on a ring (rdlearn.relationship_map.ring_orbits). */
export function ringOrbits(count, ring, geo) {
  const middle = ringRadius(ring, geo);
  for (let orbits = 1; orbits <= geo.max_orbits; orbits += 1) {
    const slots = count ? Math.ceil(count / orbits) * orbits : 1;
    const inner = middle - ((orbits - 1) / 2) * geo.orbit_step;
    if (slots <= orbits || 2 * inner * Math.sin((Math.PI * orbits) / slots) >= geo.spacing) return orbits;
  }
  return geo.max_orbits;
}

function round2(value) {
  const r = Math.round(value * 100) / 100;
  return r === 0 ? 0 : r;
}

/** Where `count` entries go on a ring (rdlearn.relationship_map.ring_positions). */
export function ringPositions(count, ring, geo) {
  const middle = ringRadius(ring, geo);
  const orbits = ringOrbits(count, ring, geo);
  const slots = count ? Math.ceil(count / orbits) * orbits : 1;
  const points = [];
  for (let k = 0; k < count; k += 1) {
    const angle = -Math.PI / 2 + ((k + 0.5) * 2 * Math.PI) / slots + ring * geo.twist;
    const radius = middle + ((k % orbits) - (orbits - 1) / 2) * geo.orbit_step;
    points.push([round2(radius * Math.cos(angle)), round2(radius * Math.sin(angle))]);
  }
  return points;
}

/** A rough width of a label: wide scripts and emoji take more room than Latin letters. */
export function textWidth(text, fontSize) {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || code >= 0x1f000)) {
      width += fontSize * 1.05;
    } else if (ch >= "A" && ch <= "Z") {
      width += fontSize * 0.68;
    } else {
      width += fontSize * 0.58;
    }
  }
  return width;
}

function shortLabel(name, max) {
  return countChars(name) > max ? `${cutChars(name, max - 1).trim()}…` : name;
}

function overlap(a, b) {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const hgt = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && hgt > 0 ? w * hgt : 0;
}

/**
 * Place the labels of the entries on the map so that they do not cover each other.
 * `dots` is a list of {x, y, name}; the answer gives, for each dot, {text, x, y, anchor, box}.
 * `obstacles` are further boxes to keep clear (the ring names). Each label tries, in order:
 * away from the centre, right, left, below, above, further out, towards the centre; a
 * crowded label is shortened; as a last resort the least covered place wins.
 */
export function placeLabels(dots, geo, { fontSize = FONT_SIZE, view = VIEW, obstacles = [] } = {}) {
  const clear = geo.marker_radius * 1.3;
  const gap = clear + 4;
  const height = fontSize * 1.25;
  const markers = dots.map((d) => ({ x0: d.x - clear, y0: d.y - clear, x1: d.x + clear, y1: d.y + clear }));
  const you = geo.you_radius * 0.75;
  const fixed = [{ x0: -you, y0: -you, x1: you, y1: you }, ...markers, ...obstacles];
  const placed = [];

  function box(px, cy, width, anchor) {
    const x0 = anchor === "start" ? px : anchor === "end" ? px - width : px - width / 2;
    return { x0, y0: cy - height / 2, x1: x0 + width, y1: cy + height / 2 };
  }
  function candidates(d, width) {
    const len = Math.hypot(d.x, d.y) || 1;
    const ux = d.x / len;
    const uy = d.y / len;
    const radial = (sign, distance) => {
      const vx = sign * ux;
      const vy = sign * uy;
      const anchor = vx > 0.38 ? "start" : vx < -0.38 ? "end" : "middle";
      const px = d.x + vx * distance;
      let cy = d.y + vy * distance;
      if (anchor === "middle") cy += Math.sign(vy) * (height / 2);
      return { px, cy, anchor };
    };
    return [
      radial(1, gap),
      { px: d.x + gap, cy: d.y, anchor: "start" },
      { px: d.x - gap, cy: d.y, anchor: "end" },
      { px: d.x, cy: d.y + gap + height / 2 - 4, anchor: "middle" },
      { px: d.x, cy: d.y - gap - height / 2 + 4, anchor: "middle" },
      radial(1, gap + height),
      radial(1, gap + 2 * height),
      radial(-1, gap),
    ].map((c) => ({ ...c, box: box(c.px, c.cy, width, c.anchor) }));
  }
  function cost(b, own) {
    if (b.x0 < -view || b.x1 > view || b.y0 < -view || b.y1 > view) return Infinity;
    let total = 0;
    fixed.forEach((f, i) => {
      if (i !== own + 1) total += overlap(b, f);
    });
    for (const p of placed) total += overlap(b, p);
    return total;
  }

  const result = [];
  dots.forEach((d, i) => {
    let best = null;
    for (const max of [LABEL_CHARS, SHORT_LABEL_CHARS, TINY_LABEL_CHARS]) {
      const text = shortLabel(d.name, max);
      for (const c of candidates(d, textWidth(text, fontSize))) {
        const score = cost(c.box, i);
        if (best === null || score < best.score) best = { ...c, text, score };
        if (score === 0) break;
      }
      if (best.score === 0) break;
    }
    placed.push(best.box);
    result.push({ text: best.text, x: best.px, y: best.cy, anchor: best.anchor, box: best.box });
  });
  return result;
}

// ------------------------------------------------------------------ the saved map

/** The map as saved in this browser, checked: anything malformed is dropped or mended. */
export function readMap(item, settings) {
  const out = { people: [], answers: {} };
  if (!item || typeof item !== "object" || item.type !== ITEM_TYPE) return out;
  const kinds = new Set(settings.kinds.map((k) => k.id));
  const last = settings.rings.length - 1;
  for (const p of Array.isArray(item.people) ? item.people : []) {
    if (out.people.length >= settings.max_entries) break;
    if (!p || typeof p !== "object") continue;
    const name = cleanLine(p.name, settings.max_name);
    if (!name) continue;
    out.people.push({
      name,
      kind: kinds.has(p.kind) ? p.kind : "other",
      ring: Number.isInteger(p.ring) && p.ring >= 0 && p.ring <= last ? p.ring : last,
      note: cleanLine(p.note, settings.max_note),
    });
  }
  const answers = item.answers && typeof item.answers === "object" ? item.answers : {};
  for (const q of settings.prompts) {
    const text = answers[q.id];
    if (typeof text === "string" && text.trim()) out.answers[q.id] = cutChars(text, settings.max_answer);
  }
  return out;
}

function kindLabel(kind, settings) {
  const found = settings.kinds.find((k) => k.id === kind);
  return found ? found.label : kind;
}

/** The map as plain-text lines for the workbook. */
export function mapLines(people, answers, settings) {
  const lines = [];
  settings.rings.forEach((ring, i) => {
    const here = people.filter((p) => p.ring === i);
    if (here.length) {
      const names = here.map((p) => `${p.name} (${kindLabel(p.kind, settings).toLowerCase()})`);
      lines.push(`${capitalise(ring)}: ${names.join(", ")}`);
    }
  });
  if (!people.length) lines.push("Nobody on the map yet.");
  for (const p of people) if (p.note) lines.push(`Note on ${p.name}: ${p.note}`);
  for (const q of settings.prompts) {
    const text = (answers[q.id] || "").trim();
    if (text) lines.push(`${q.title}: ${text}`);
  }
  return lines;
}

function ringPhrase(i, settings) {
  const label = settings.rings[i];
  if (i === 0) return `your closest ring (${label})`;
  if (i === settings.rings.length - 1) return `your outermost ring (${label})`;
  return `the ${label} ring`;
}

/** The map in words, one sentence per ring, for people who cannot see the drawing. */
export function summaryText(people, settings) {
  if (!people.length) return ["Your map is empty so far: you are in the centre, on your own."];
  const n = people.length;
  const sentences = [`Your map holds ${n} ${n === 1 ? "entry" : "entries"}, with you in the centre.`];
  settings.rings.forEach((_, i) => {
    const names = people.filter((p) => p.ring === i).map((p) => p.name);
    sentences.push(
      names.length
        ? `${names.length} in ${ringPhrase(i, settings)}: ${listText(names)}.`
        : `Nobody in ${ringPhrase(i, settings)}.`,
    );
  });
  return sentences;
}

// ------------------------------------------------------------------ drawing

function shape(kind, x, y, r) {
  const k = kind.shape;
  const attrs = { class: "rdm-shape", fill: kind.colour };
  if (k === "square") return s("rect", { ...attrs, x: x - r * 0.9, y: y - r * 0.9, width: r * 1.8, height: r * 1.8, rx: 2 });
  if (k === "diamond") {
    const d = r * 1.25;
    return s("polygon", { ...attrs, points: `${x},${y - d} ${x + d},${y} ${x},${y + d} ${x - d},${y}` });
  }
  if (k === "triangle") {
    const d = r * 1.3;
    return s("polygon", {
      ...attrs,
      points: `${x},${y - d} ${round2(x + d * 0.866)},${round2(y + d / 2)} ${round2(x - d * 0.866)},${round2(y + d / 2)}`,
    });
  }
  return s("circle", { ...attrs, cx: x, cy: y, r });
}

function legendSwatch(kind) {
  return s("svg", { viewBox: "-14 -14 28 28", width: 22, height: 22, "aria-hidden": "true", focusable: "false" }, shape(kind, 0, 0, 10));
}

function drawMap(svg, people, settings) {
  const geo = settings.geometry;
  svg.replaceChildren();
  const edges = geo.ring_edges;
  for (let i = settings.rings.length - 1; i >= 0; i -= 1) {
    svg.append(s("circle", { class: `rdm-ring rdm-ring--${i}`, cx: 0, cy: 0, r: edges[i + 1] }));
  }
  const ringNames = [];
  settings.rings.forEach((label, i) => {
    const y = -edges[i + 1] + 13;
    const half = textWidth(label, RING_FONT_SIZE) / 2;
    ringNames.push({ x0: -half, y0: y - RING_FONT_SIZE / 2, x1: half, y1: y + RING_FONT_SIZE / 2 });
    svg.append(s("text", { class: "rdm-ring-label", x: 0, y, "text-anchor": "middle", "dominant-baseline": "central", text: label }));
  });
  svg.append(s("circle", { class: "rdm-you", cx: 0, cy: 0, r: geo.you_radius }));
  svg.append(s("text", { class: "rdm-you-label", x: 0, y: 0, "text-anchor": "middle", "dominant-baseline": "central", text: "You" }));

  const dots = [];
  settings.rings.forEach((_, ring) => {
    const here = people.map((p, index) => ({ p, index })).filter(({ p }) => p.ring === ring);
    const points = ringPositions(here.length, ring, geo);
    here.forEach(({ p, index }, k) => dots.push({ x: points[k][0], y: points[k][1], name: p.name, person: p, index }));
  });
  const labels = placeLabels(dots, geo, { obstacles: ringNames });
  const layer = s("g", { class: "rdm-dots" });
  const textLayer = s("g", { class: "rdm-labels" });
  dots.forEach((d, i) => {
    const kind = settings.kinds.find((k) => k.id === d.person.kind) || settings.kinds[settings.kinds.length - 1];
    const note = d.person.note ? `: ${d.person.note}` : "";
    layer.append(
      s(
        "g",
        {
          class: "rdm-dot",
          "data-testid": `map-dot-${d.index}`,
          "data-ring": d.person.ring,
          "data-kind": d.person.kind,
          "data-x": d.x,
          "data-y": d.y,
        },
        s("title", { text: `${d.person.name} (${kind.label.toLowerCase()}, ${settings.rings[d.person.ring]})${note}` }),
        shape(kind, d.x, d.y, geo.marker_radius),
      ),
    );
    const label = labels[i];
    textLayer.append(
      s("text", {
        class: "rdm-label",
        x: round2(label.x),
        y: round2(label.y),
        "text-anchor": label.anchor,
        "dominant-baseline": "central",
        "data-testid": `map-label-${d.index}`,
        text: label.text,
      }),
    );
  });
  svg.append(layer, textLayer);
}

// ------------------------------------------------------------------ the widget

function render({ model, el }) {
  const settings = {
    rings: model.get("rings"),
    kinds: model.get("kinds"),
    prompts: model.get("prompts"),
    max_entries: model.get("max_entries"),
    max_name: model.get("max_name"),
    max_note: model.get("max_note"),
    max_answer: model.get("max_answer"),
    geometry: model.get("layout_geometry"),
  };
  const key = model.get("storage_key");
  const title = model.get("title");
  const storage = getStorage();
  const ids = {
    title: uid("rdm", "title"),
    form: uid("rdm", "form"),
    name: uid("rdm", "name"),
    nameHint: uid("rdm", "name-hint"),
    kind: uid("rdm", "kind"),
    ring: uid("rdm", "ring"),
    note: uid("rdm", "note"),
    noteHint: uid("rdm", "note-hint"),
    summary: uid("rdm", "summary"),
    reflect: uid("rdm", "reflect"),
    clear: uid("rdm", "clear"),
  };

  let people = [];
  let answers = {};
  let timer = null;
  const dirty = new Set(); // answers typed here and not yet saved

  // ---- the form
  const nameInput = h("input", {
    id: ids.name, type: "text", dir: "auto", autocomplete: "off", spellcheck: "false",
    class: "rdm-input", "aria-describedby": ids.nameHint, "data-testid": "map-name",
  });
  const kindSelect = h("select", { id: ids.kind, class: "rdm-input", "data-testid": "map-kind" });
  for (const k of settings.kinds) kindSelect.append(h("option", { value: k.id, text: k.label }));
  const ringSelect = h("select", { id: ids.ring, class: "rdm-input", "data-testid": "map-ring" });
  settings.rings.forEach((label, i) => ringSelect.append(h("option", { value: String(i), text: capitalise(label) })));
  const noteInput = h("input", {
    id: ids.note, type: "text", dir: "auto", autocomplete: "off",
    class: "rdm-input", "aria-describedby": ids.noteHint, "data-testid": "map-note",
  });
  const addButton = h("button", { type: "submit", class: "rdm-button rdm-button--primary", "data-testid": "map-add", text: "Add to my map" });
  const message = h("p", { class: "rdm-message", role: "status", "data-testid": "map-message" });
  const field = (id, labelText, control, hintId, hintText) =>
    h(
      "div",
      { class: "rdm-field" },
      h("label", { for: id, text: labelText }),
      control,
      hintId ? h("p", { class: "rdm-hint", id: hintId, text: hintText }) : "",
    );
  const form = h(
    "form",
    { class: "rdm-form", "aria-labelledby": ids.form, novalidate: true },
    h("h4", { class: "rdm-subtitle", id: ids.form, text: "Add someone to your map" }),
    field(ids.name, "Name or label", nameInput, ids.nameHint,
      `A first name, a nickname, initials, or a group such as "my team". Up to ${settings.max_name} characters.`),
    h("div", { class: "rdm-row" }, field(ids.kind, "Kind", kindSelect), field(ids.ring, "How close", ringSelect)),
    field(ids.note, "A note (optional)", noteInput, ids.noteHint, `One line, up to ${settings.max_note} characters.`),
    h("div", { class: "rdm-actions" }, addButton),
    message,
  );

  // ---- the drawing, its legend and the summary in words
  const svg = s("svg", {
    class: "rdm-svg",
    viewBox: `${-VIEW} ${-VIEW} ${2 * VIEW} ${2 * VIEW}`,
    role: "img",
    "aria-label": "Your relationship map: you in the centre, four rings around you. The same map in words follows.",
    "aria-describedby": ids.summary,
    "data-testid": "map-svg",
  });
  const legend = h("ul", { class: "rdm-legend", "aria-label": "Key" });
  for (const k of settings.kinds) legend.append(h("li", {}, legendSwatch(k), h("span", { text: k.label })));
  const summary = h("div", { class: "rdm-summary", id: ids.summary, "aria-live": "polite", "data-testid": "map-summary" });

  // ---- the table of entries
  const tableBody = h("tbody");
  const table = h(
    "table",
    { class: "rdm-table", "data-testid": "map-table" },
    h("caption", { text: "Everyone on your map, in the order you added them" }),
    h("thead", {}, h("tr", {}, ...["Name", "Kind", "Ring", "Change"].map((t) => h("th", { scope: "col", text: t })))),
    tableBody,
  );
  const empty = h("p", { class: "rdm-hint", text: "Nobody on your map yet. Add someone with the form." });

  // ---- reflection questions
  const answerBoxes = {};
  const reflect = h(
    "section",
    { class: "rdm-reflect", "aria-labelledby": ids.reflect },
    h("h4", { class: "rdm-subtitle", id: ids.reflect, text: "Looking at your map" }),
    h("p", {
      class: "rdm-hint",
      text:
        "These questions are for you alone. Keep your answers as brief or as light as you like, " +
        "or skip any of them; they stay in this browser with your map and go into your workbook.",
    }),
  );
  for (const q of settings.prompts) {
    const boxId = uid("rdm", `answer-${q.id}`);
    const area = h("textarea", { id: boxId, class: "rdm-answer", dir: "auto", rows: 3, "data-testid": `map-answer-${q.id}` });
    answerBoxes[q.id] = area;
    reflect.append(
      h(
        "div",
        { class: "rdm-question" },
        h("label", { for: boxId }, h("span", { class: "rdm-q-title", text: q.title }), h("span", { class: "rdm-q-text", text: q.prompt })),
        area,
      ),
    );
    area.addEventListener("input", () => {
      if (countChars(area.value) > settings.max_answer) {
        area.value = cutChars(area.value, settings.max_answer);
        showMessage(`An answer can hold up to ${settings.max_answer.toLocaleString("en-GB")} characters; the rest was left out.`, "warn");
      }
      answers[q.id] = area.value;
      dirty.add(q.id);
      setSaveStatus("Saving…");
      clearTimeout(timer);
      timer = setTimeout(saveNow, SAVE_DELAY_MS);
    });
    area.addEventListener("blur", flush);
  }

  // ---- clearing
  const clearButton = button("Clear my map", "map-clear", "rdm-button--danger");
  const clearYes = button("Yes, clear my map", "map-clear-confirm", "rdm-button--danger");
  const clearNo = button("Cancel", "map-clear-cancel");
  const clearBox = confirmBox({
    prefix: "rdm", id: ids.clear, yes: clearYes, no: clearNo, testid: "map-clear-box",
    text:
      "Remove everyone from your map and erase your answers to the questions above? This cannot " +
      "be undone. If you want a copy, download your workbook first.",
  });
  const saveStatus = h("p", { class: "rdm-save", "data-testid": "map-status" });

  const root = h(
    "section",
    { class: "rdm", "aria-labelledby": ids.title, "data-testid": "relationship-map" },
    h("h3", { class: "rdm-title", id: ids.title, text: title }),
    h("p", {
      class: "rdm-hint",
      text:
        "Only you can see this map: it is saved in this browser, never on the server. " +
        "Use initials or a nickname if you prefer.",
    }),
    h(
      "div",
      { class: "rdm-layout" },
      h("div", { class: "rdm-picture" }, svg, legend),
      h("div", { class: "rdm-side" }, form),
    ),
    h("h4", { class: "rdm-subtitle", text: "Your map in words" }),
    summary,
    table,
    empty,
    reflect,
    h("div", { class: "rdm-footer" }, saveStatus, h("div", { class: "rdm-actions" }, clearButton)),
    clearBox,
  );
  el.append(root);

  // ---- behaviour
  function showMessage(text, kind = "") {
    message.textContent = text;
    message.className = `rdm-message ${kind ? `rdm-message--${kind}` : ""}`.trim();
  }
  function setSaveStatus(text, kind = "") {
    saveStatus.textContent = text;
    saveStatus.className = `rdm-save ${kind ? `rdm-save--${kind}` : ""}`.trim();
  }

  // A saved map this page cannot read is kept as it is, never overwritten, until the
  // participant chooses "Clear my map" (or erases the workbook).
  let unreadable = false;

  function saveNow() {
    clearTimeout(timer);
    timer = null;
    dirty.clear();
    if (!storage) return;
    if (unreadable) {
      setSaveStatus(UNREADABLE_NOTE, "error");
      return;
    }
    try {
      const hasAnswers = Object.values(answers).some((t) => t.trim());
      if (!people.length && !hasAnswers) {
        storage.removeItem(key);
      } else {
        const kept = {};
        for (const [id, text] of Object.entries(answers)) if (text.trim()) kept[id] = text;
        const item = {
          type: ITEM_TYPE,
          title,
          lines: mapLines(people, kept, settings),
          people,
          answers: kept,
          updated: new Date().toISOString(),
        };
        storage.setItem(key, JSON.stringify(item));
      }
      setSaveStatus("Saved in this browser");
      window.dispatchEvent(new CustomEvent(SAVED));
    } catch (err) {
      setSaveStatus("Could not save in this browser (it may be full). Download your workbook to keep a copy.", "error");
    }
  }
  function flush() {
    if (timer !== null) saveNow();
  }

  function entryRow(p, index) {
    const ringLabel = settings.rings[p.ring];
    const closer = button("Move closer", `map-closer-${index}`);
    closer.setAttribute("aria-label", `Move ${p.name} closer (now ${ringLabel})`);
    const further = button("Move further", `map-further-${index}`);
    further.setAttribute("aria-label", `Move ${p.name} further out (now ${ringLabel})`);
    const remove = button("Remove", `map-remove-${index}`, "rdm-button--quiet");
    remove.setAttribute("aria-label", `Remove ${p.name} from your map`);
    if (p.ring === 0) closer.setAttribute("aria-disabled", "true");
    if (p.ring === settings.rings.length - 1) further.setAttribute("aria-disabled", "true");
    closer.addEventListener("click", () => move(index, -1));
    further.addEventListener("click", () => move(index, 1));
    remove.addEventListener("click", () => removeEntry(index));
    const kind = settings.kinds.find((k) => k.id === p.kind) || settings.kinds[settings.kinds.length - 1];
    const nameCell = h("th", { scope: "row" }, h("span", { class: "rdm-name", dir: "auto", text: p.name }));
    if (p.note) nameCell.append(h("span", { class: "rdm-note", dir: "auto", text: p.note }));
    return h(
      "tr",
      { "data-testid": `map-entry-${index}`, "data-ring": p.ring },
      nameCell,
      h("td", {}, h("span", { class: "rdm-kind" }, legendSwatch(kind), h("span", { text: kind.label }))),
      h("td", { text: capitalise(ringLabel) }),
      h("td", {}, h("div", { class: "rdm-row-actions" }, closer, further, remove)),
    );
  }

  function refresh(focusTestid = null) {
    drawMap(svg, people, settings);
    tableBody.replaceChildren(...people.map(entryRow));
    table.hidden = people.length === 0;
    empty.hidden = people.length > 0;
    summary.replaceChildren(...summaryText(people, settings).map((t) => h("p", { dir: "auto", text: t })));
    for (const q of settings.prompts) {
      const text = answers[q.id] || "";
      if (answerBoxes[q.id].value !== text) answerBoxes[q.id].value = text;
    }
    if (focusTestid) {
      const target = root.querySelector(`[data-testid="${focusTestid}"]`);
      (target || nameInput).focus();
    }
  }

  function setInvalid(input, bad) {
    if (bad) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function add(event) {
    event.preventDefault();
    const rawName = nameInput.value;
    const name = cleanLine(rawName, Infinity);
    const note = cleanLine(noteInput.value, Infinity);
    setInvalid(nameInput, false);
    setInvalid(noteInput, false);
    if (people.length >= settings.max_entries) {
      showMessage(`Your map holds up to ${settings.max_entries} entries. Remove one to add another.`, "error");
      nameInput.focus();
      return;
    }
    if (!name) {
      setInvalid(nameInput, true);
      showMessage("Write a name or a label first.", "error");
      nameInput.focus();
      return;
    }
    if (countChars(name) > settings.max_name) {
      setInvalid(nameInput, true);
      showMessage(`A name or label can be up to ${settings.max_name} characters; this one has ${countChars(name)}.`, "error");
      nameInput.focus();
      return;
    }
    if (countChars(note) > settings.max_note) {
      setInvalid(noteInput, true);
      showMessage(`A note can be up to ${settings.max_note} characters; this one has ${countChars(note)}.`, "error");
      noteInput.focus();
      return;
    }
    const kind = settings.kinds.some((k) => k.id === kindSelect.value) ? kindSelect.value : settings.kinds[0].id;
    const ring = Math.min(Math.max(Number.parseInt(ringSelect.value, 10) || 0, 0), settings.rings.length - 1);
    people.push({ name, kind, ring, note });
    saveNow();
    nameInput.value = "";
    noteInput.value = "";
    refresh();
    showMessage(`Added ${name} to the ${settings.rings[ring]} ring.`);
    nameInput.focus();
  }

  function move(index, step) {
    const p = people[index];
    if (!p) return;
    const target = p.ring + step;
    if (target < 0) {
      showMessage(`${p.name} is already in your closest ring.`);
      return;
    }
    if (target >= settings.rings.length) {
      showMessage(`${p.name} is already in your outermost ring.`);
      return;
    }
    p.ring = target;
    saveNow();
    refresh(`map-${step < 0 ? "closer" : "further"}-${index}`);
    showMessage(`Moved ${p.name} ${step < 0 ? "closer" : "further out"}, to the ${settings.rings[target]} ring.`);
  }

  function removeEntry(index) {
    const [gone] = people.splice(index, 1);
    if (!gone) return;
    saveNow();
    const next = people.length ? `map-remove-${Math.min(index, people.length - 1)}` : "map-name";
    refresh(next);
    showMessage(`Removed ${gone.name} from your map.`);
  }

  form.addEventListener("submit", add);

  clearButton.addEventListener("click", () => {
    clearBox.hidden = false;
    clearNo.focus();
  });
  clearNo.addEventListener("click", () => {
    clearBox.hidden = true;
    showMessage("Nothing was cleared.");
    clearButton.focus();
  });
  clearYes.addEventListener("click", () => {
    unreadable = false;
    people = [];
    answers = {};
    saveNow();
    clearBox.hidden = true;
    refresh();
    showMessage("Your map was cleared from this browser.");
    setSaveStatus("Cleared from this browser.");
    nameInput.focus();
  });

  function loadSaved() {
    const item = storage ? parseItem(storage.getItem(key)) : null;
    unreadable = Boolean(item && item.type === "unreadable");
    const saved = readMap(item, settings);
    people = saved.people;
    const mine = {};
    for (const id of dirty) mine[id] = answers[id];
    answers = { ...saved.answers, ...mine };
  }

  function onStorage(event) {
    if (!storage || (event.storageArea && event.storageArea !== storage)) return;
    if (event.key !== key && event.key !== null) return;
    loadSaved();
    refresh();
    if (dirty.size) saveNow();
    setSaveStatus("Updated with changes made in another tab.");
  }
  function onErased() {
    unreadable = false;
    clearTimeout(timer);
    timer = null;
    dirty.clear();
    people = [];
    answers = {};
    refresh();
    setSaveStatus("Erased from this browser.");
  }

  const stopListening = onWindow({ storage: onStorage, [ERASED]: onErased, [FLUSH]: flush,
                                  pagehide: flush });

  loadSaved();
  refresh();
  if (!storage) {
    setSaveStatus(
      "This browser is not letting rdlearn save anything (private browsing, or storage is turned " +
        "off). Your map will be lost when you leave this page.",
      "error",
    );
  } else if (unreadable) {
    setSaveStatus(UNREADABLE_NOTE, "error");
  } else if (people.length || Object.keys(answers).length) {
    setSaveStatus("Saved in this browser");
  }

  return () => {
    flush();
    stopListening();
  };
}

export default { render };
