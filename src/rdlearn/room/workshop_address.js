// rdlearn workshop address: the browser's side of rdlearn.room.widgets.AddressCode.
// It reads ?workshop=CODE from the page address and sends it to the kernel; it shows nothing.

export default {
  render({ model, el }) {
    el.style.display = "none";
    const code = new URLSearchParams(window.location.search).get("workshop") || "";
    model.set("code", code.slice(0, 32));
    model.save_changes();
  },
};
