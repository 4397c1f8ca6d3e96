// rdlearn: what a served widget sends instead of its code (filled in by web/assets.py; these
// comment lines are left out). It links the widget's stylesheets once, preloads the modules
// its module imports so that they are fetched beside it rather than one after the other
// (anywidget gives a widget 2 s to load, which a busy laptop serving a room can need), and
// imports its module from the app's address.
const base = new URL((document.body.dataset.baseUrl || '/voila/') + '../rdlearn/assets/',
                     window.location.href);
const link = (rel, name, version) => {
  if (document.querySelector(`link[data-rd-asset="${name}"]`)) return;
  const el = document.createElement('link');
  el.rel = rel;
  el.href = new URL(`${name}?v=${version}`, base).href;
  el.dataset.rdAsset = name;
  document.head.appendChild(el);
};
for (const [name, version] of Object.entries(__CSS__)) link('stylesheet', name, version);
for (const [name, version] of Object.entries(__PRELOAD__)) link('modulepreload', name, version);
const module = await import(new URL(__JS__, base).href);
export default module.default;
