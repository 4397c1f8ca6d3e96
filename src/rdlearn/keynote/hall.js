// rdlearn keynote hall: tells the kernel the page's address and ticks once a second.
export default {
  render({ model, el }) {
    el.style.display = "none";
    const code = new URLSearchParams(window.location.search).get("workshop") || "";
    model.set("origin", window.location.origin.slice(0, 200));
    model.set("code", code.slice(0, 32));
    let tick = model.get("tick");
    model.set("tick", ++tick);
    model.save_changes();
    const timer = setInterval(() => {
      if (document.hidden) return;
      model.set("tick", ++tick);
      model.save_changes();
    }, 1000);
    return () => clearInterval(timer);
  },
};
