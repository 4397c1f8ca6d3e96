// rdlearn facilitator key from the login: the browser's side of
// rdlearn.room.facilitator_console.KeyFromLogin. It shows nothing.
//
// Only in a room served behind a login (the kernel adds this widget there alone): it asks the
// room's server for the facilitator key at <base>rdlearn/facilitator, which answers the
// login's facilitators group only (403 for everyone else), and hands the key to the kernel,
// which checks it like a typed key. The answer is never cached.

export default {
  async render({ model, el }) {
    el.style.display = "none";
    const base = new URL((document.body.dataset.baseUrl || "/voila/") + "../",
                         window.location.href);
    let key = "";
    try {
      // The hub's login takes its cookie from a script only with the page's XSRF token.
      const xsrf = (document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/) || [])[1] || "";
      const response = await fetch(new URL("rdlearn/facilitator", base).href, {
        cache: "no-store", credentials: "same-origin",
        headers: { Accept: "application/json", "X-XSRFToken": xsrf },
      });
      if (!response.ok) return;
      const body = await response.json();
      key = typeof body.key === "string" ? body.key.slice(0, 200) : "";
    } catch (error) {
      return; // no answer: the key prompt stays, as on the laptop
    }
    if (!key) return;
    model.set("key", key);
    model.save_changes();
  },
};
