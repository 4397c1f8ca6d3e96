// rdlearn connection-rating exercise: the browser's side (see rdlearn.connection.widgets.PairLink).
//
// It shows nothing. It keeps this browser's random pair token in localStorage (so a partner
// who reloads rejoins with the same role and ratings), remembers the last pair code, ticks
// so the kernel can check the minute clock, and plays a gentle two-note cue made with
// WebAudio when a new minute is to be rated (no sound file is fetched).

import { TOKEN_PATTERN, codePattern, newToken } from "./widgetkit.js";

const KEY = "rdlearn:v1:pair-token";
const TOKEN = TOKEN_PATTERN;
const CODE = codePattern(6);

function readItem() {
  try {
    const item = JSON.parse(window.localStorage.getItem(KEY) || "null");
    if (item && typeof item.token === "string" && TOKEN.test(item.token)) return item;
  } catch (err) {
    // unreadable or unavailable storage: a fresh token below
  }
  return { type: "pair-token", token: newToken(), pair: "", updated: new Date().toISOString() };
}

function writeItem(item) {
  try {
    item.updated = new Date().toISOString();
    window.localStorage.setItem(KEY, JSON.stringify(item));
  } catch (err) {
    // private browsing: the token lasts as long as the page
  }
}

/** A soft rising two-note cue; silent if the browser has no WebAudio. */
function cue(audio) {
  if (!audio) return;
  try {
    const t0 = audio.currentTime + 0.05;
    [523.25, 659.25].forEach((frequency, i) => {
      const start = t0 + i * 0.35;
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.12, start + 0.05);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.9);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 1.0);
    });
  } catch (err) {
    // no sound is better than a broken page
  }
}

export default {
  render({ model, el }) {
    el.style.display = "none";
    const item = readItem();
    writeItem(item);
    let tick = model.get("tick");
    model.set("token", item.token);
    model.set("remembered", typeof item.pair === "string" && CODE.test(item.pair) ? item.pair : "");
    model.set("tick", ++tick);
    model.save_changes();

    const remember = () => {
      const code = model.get("remember");
      item.pair = CODE.test(code) ? code : "";
      writeItem(item);
    };
    model.on("change:remember", remember);

    let audio = null;
    const unlock = () => {
      try {
        const Context = window.AudioContext || window.webkitAudioContext;
        if (Context && !audio) audio = new Context();
        if (audio && audio.state === "suspended") audio.resume();
      } catch (err) {
        audio = null;
      }
    };
    document.addEventListener("pointerdown", unlock, true);
    document.addEventListener("keydown", unlock, true);
    const onCue = () => { if (model.get("sound")) cue(audio); };
    model.on("change:cue", onCue);

    let timer = null;
    const schedule = () => {
      clearInterval(timer);
      const every = Math.max(200, model.get("interval_ms") || 1000);
      timer = setInterval(() => {
        model.set("tick", ++tick);
        model.save_changes();
      }, every);
    };
    schedule();
    model.on("change:interval_ms", schedule);

    return () => {
      clearInterval(timer);
      model.off("change:remember", remember);
      model.off("change:cue", onCue);
      model.off("change:interval_ms", schedule);
      document.removeEventListener("pointerdown", unlock, true);
      document.removeEventListener("keydown", unlock, true);
    };
  },
};
