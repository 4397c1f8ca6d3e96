// rdlearn room link: the browser's side of rdlearn.room.widgets.RoomLink.
//
// It shows nothing. It keeps this browser's anonymous token in localStorage (used only to
// stop double votes) and ticks about once a second while the page is visible, so the
// kernel looks at the room's store.

import { roomToken } from "./widgetkit.js";

export default {
  render({ model, el }) {
    el.style.display = "none";
    let tick = model.get("tick");
    if (model.get("wants_token")) model.set("token", roomToken());
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
