// The hall's audience page: polls the room's question, sends one anonymous answer.
// Every text from the server is inserted with textContent, never as HTML.
// An ES module (a module is deferred and strict); the token and its pattern are the kit's,
// served by the same app at <base>rdlearn/assets/ (audience.py gives the import its version).

import { h, roomToken } from "../../rdlearn/assets/widgetkit.js";

var POLL_MS = 2000;
var SLOW_POLL_MS = 5000;
var SAVED = "Your answer is saved — you can change it until the question closes.";

var $ = function (id) { return document.getElementById(id); };
var params = new URLSearchParams(window.location.search);
var workshop = (params.get("workshop") || "").replace(/\s+/g, "").toUpperCase().slice(0, 16);
var shownQuestion = null;   // id of the question whose form is on the page
var timer = null;
var sending = false;

var token = roomToken();

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function say(text, kind) {
  var el = $("answer-message");
  el.className = "rd-message" + (kind ? " is-" + kind : "");
  setText(el, text);
}

function rememberKey(qid) { return "rdlearn-audience:" + workshop + ":" + qid; }

function remembered(qid) {
  try { return window.sessionStorage.getItem(rememberKey(qid)); } catch (err) { return null; }
}

function remember(qid, value) {
  try { window.sessionStorage.setItem(rememberKey(qid), value); } catch (err) { /* ignore */ }
}

// ---------------------------------------------------------------- the form

function choice(name, value, text, index) {
  var id = "answer-" + index;
  var input = h("input", { type: "radio", name: name, id: id, value: value });
  return h("label", { class: "rd-option", for: id }, input, h("span", { text: text }));
}

function buildForm(q) {
  var controls = $("answer-controls");
  controls.textContent = "";
  setText($("question-text"), q.text);
  setText($("question-hint"), q.hint || "");
  $("question-hint").hidden = !q.hint;
  if (q.kind === "single_choice") {
    q.options.forEach(function (o, i) { controls.appendChild(choice("answer", o.id, o.label, i)); });
  } else if (q.kind === "scale") {
    var s = q.scale;
    for (var v = s.min; v <= s.max; v++) {
      var text = String(v);
      if (v === s.min && s.low) text += " — " + s.low;
      if (v === s.max && s.high) text += " — " + s.high;
      controls.appendChild(choice("answer", String(v), text, v - s.min));
    }
  } else {
    var word = q.kind === "one_word";
    var input = h(word ? "input" : "textarea", { type: word ? "text" : null, id: "answer-text",
                                                 name: "answer", autocomplete: "off" });
    input.maxLength = q.max_chars || 200;
    controls.append(h("label", { for: "answer-text", text: word ? "Your word" : "Your line" }),
                    input);
  }
  var previous = remembered(q.id);
  if (previous !== null) fill(q, previous);
  say(previous !== null ? SAVED : "", previous !== null ? "ok" : "");
}

function fill(q, value) {
  if (q.kind === "single_choice" || q.kind === "scale") {
    var radios = document.querySelectorAll('#answer-controls input[type="radio"]');
    radios.forEach(function (r) { r.checked = r.value === value; });
  } else if ($("answer-text")) {
    $("answer-text").value = value;
  }
}

function currentValue() {
  var checked = document.querySelector('#answer-controls input[type="radio"]:checked');
  if (checked) return checked.value;
  var text = $("answer-text");
  return text ? text.value : null;
}

async function send(event) {
  event.preventDefault();
  if (sending || !shownQuestion) return;
  var value = currentValue();
  if (value === null || value === "") {
    say("Please choose or write an answer first.", "error");
    return;
  }
  sending = true;
  $("send-button").disabled = true;
  say("Sending…", "");
  try {
    var response = await fetch("audience/api/answer", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ workshop: workshop, question: shownQuestion, token: token, value: value }),
      credentials: "omit",
    });
    var data = await response.json().catch(function () { return {}; });
    if (response.ok) {
      remember(shownQuestion, String(data.value));
      say(data.message || SAVED, "ok");
    } else {
      say(data.error || "Your answer could not be saved. Please try again.", "error");
    }
  } catch (err) {
    say("No connection to the room just now. Please try again in a moment.", "error");
  } finally {
    sending = false;
    $("send-button").disabled = false;
  }
}

// ---------------------------------------------------------------- results

function cell(tagName, text, className) {
  return h(tagName, { text: text, class: className || null });
}

function renderResults(q, results) {
  var body = $("results-body");
  var fresh = h("div");
  fresh.appendChild(cell("p", results.message, "rd-small"));
  if (results.counts) {
    var table = h("table", {}, cell("caption", q.text));
    var head = h("tr", {},
      h("th", { scope: "col", text: "Answer" }),
      h("th", { "aria-hidden": "true", text: "" }),
      h("th", { scope: "col", text: "People" }));
    table.appendChild(h("thead", {}, head));
    var tbody = h("tbody");
    results.counts.forEach(function (row) {
      var bar = cell("span", "", "rd-bar");
      bar.style.width = (results.n ? (100 * row.count / results.n) : 0).toFixed(1) + "%";
      tbody.appendChild(h("tr", {},
        h("th", { scope: "row", text: row.label }),
        h("td", { class: "rd-bar-cell", "aria-hidden": "true" }, bar),
        cell("td", String(row.count), "rd-count")));
    });
    table.appendChild(tbody);
    fresh.appendChild(table);
    if (typeof results.mean === "number") {
      fresh.appendChild(cell("p", "Average for this room: " + results.mean.toFixed(2) +
        " (on a scale from " + q.scale.min + " to " + q.scale.max + ")."));
    }
  } else if (results.words) {
    var list = cell("ul", "", "rd-words");
    results.words.forEach(function (w) {
      list.appendChild(cell("li", w.word + " (" + w.count + (w.count === 1 ? " person)" : " people)")));
    });
    if (!results.words.length) list.appendChild(cell("li", "No words to show yet."));
    fresh.appendChild(list);
  } else if (results.lines) {
    var lines = cell("ul", "", "rd-lines");
    results.lines.forEach(function (line) { lines.appendChild(cell("li", line)); });
    if (!results.lines.length) lines.appendChild(cell("li", "No lines to show yet."));
    fresh.appendChild(lines);
  }
  var signature = JSON.stringify(results);
  if (body.getAttribute("data-signature") !== signature) {
    body.setAttribute("data-signature", signature);
    body.replaceChildren.apply(body, Array.from(fresh.childNodes));
  }
}

// ---------------------------------------------------------------- polling

function showJoin(message) {
  $("join-form").hidden = false;
  $("question-area").hidden = true;
  $("results").hidden = true;
  setText($("status"), message);
}

function render(state) {
  var q = state.question;
  var countText = state.count === 1 ? "1 answer so far." : state.count + " answers so far.";
  setText($("status"), q ? state.message + " " + countText : state.message);
  $("question-area").hidden = !q;
  if (!q) {
    shownQuestion = null;
    $("results").hidden = true;
    return;
  }
  if (q.id !== shownQuestion) {
    shownQuestion = q.id;
    buildForm(q);
  }
  $("answer-fieldset").disabled = !state.open;
  $("send-button").disabled = !state.open || sending;
  $("results").hidden = !state.results;
  if (state.results) renderResults(q, state.results);
}

function schedule(ms) {
  window.clearTimeout(timer);
  timer = null;
  if (!document.hidden) timer = window.setTimeout(poll, ms);
}

async function poll() {
  try {
    var response = await fetch("audience/api/state?workshop=" + encodeURIComponent(workshop),
      { credentials: "omit", cache: "no-store" });
    var data = await response.json().catch(function () { return {}; });
    if (response.status === 404 || response.status === 400) {
      showJoin(data.error || "Check the workshop code on the screen.");
      return; // no more polling until a code is typed
    }
    if (!response.ok) {
      setText($("status"), data.error || "The room is busy; trying again…");
      schedule(SLOW_POLL_MS);
      return;
    }
    render(data);
    schedule(POLL_MS);
  } catch (err) {
    setText($("status"), "No connection to the room just now; trying again…");
    schedule(SLOW_POLL_MS);
  }
}

function start() {
  $("answer-form").addEventListener("submit", send);
  $("join-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = $("join-code").value.replace(/\s+/g, "").toUpperCase();
    if (!code) return;
    window.location.search = "?workshop=" + encodeURIComponent(code);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { window.clearTimeout(timer); timer = null; }
    else if (workshop && $("join-form").hidden) poll();
  });
  if (!workshop) {
    showJoin("Type the workshop code shown on the screen.");
    return;
  }
  setText($("workshop-line"), "Workshop " + workshop);
  poll();
}

start();
