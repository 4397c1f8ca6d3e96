// rdlearn connection-rating exercise: the browser's side (see rdlearn.connection.widgets.PairLink).
//
// It shows nothing. It keeps this browser's random pair token in localStorage (so a partner
// who reloads rejoins with the same role and ratings), remembers the last pair code, ticks
// so the kernel can check the minute clock, and plays a gentle two-note cue made with
// WebAudio when a new minute is to be rated (no sound file is fetched).

import { TOKEN_PATTERN, chime, codePattern, newToken, unlockAudio } from "./widgetkit.js";

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

/** The minute cue: the kit's chime, quieter and quicker than the timer's end tone. */
const CUE = { gap: 0.35, peak: 0.12, decay: 0.9 };

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
    const unlock = () => { audio = unlockAudio(audio); };
    document.addEventListener("pointerdown", unlock, true);
    document.addEventListener("keydown", unlock, true);
    const onCue = () => { if (model.get("sound")) chime(audio, CUE); };
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
