// rdlearn room link: the browser's side of rdlearn.room.widgets.RoomLink.
//
// It shows nothing. It keeps this browser's anonymous token in localStorage (used only to
// stop double votes) and ticks about once a second while the page is visible, so the
// kernel looks at the room's store.

import { TOKEN_PATTERN, newToken } from "./widgetkit.js";

const KEY = "rdlearn:v1:token";

function browserToken() {
  try {
    const item = JSON.parse(window.localStorage.getItem(KEY) || "null");
    if (item && typeof item.token === "string" && TOKEN_PATTERN.test(item.token)) return item.token;
  } catch (err) {
    // unreadable or unavailable storage: a fresh token below
  }
  const token = newToken();
  try {
    const item = { type: "group-token", token: token, updated: new Date().toISOString() };
    window.localStorage.setItem(KEY, JSON.stringify(item));
  } catch (err) {
    // private browsing: the token lasts as long as the page
  }
  return token;
}

export default {
  render({ model, el }) {
    el.style.display = "none";
    let tick = model.get("tick");
    if (model.get("wants_token")) model.set("token", browserToken());
    model.set("tick", ++tick);
    model.save_changes();
    const every = Math.max(500, model.get("interval_ms") || 1000);
    const timer = setInterval(() => {
      if (document.hidden) return;
      model.set("tick", ++tick);
      model.save_changes();
    }, every);
    return () => clearInterval(timer);
  },
};
