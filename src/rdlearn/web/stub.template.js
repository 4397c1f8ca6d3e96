// rdlearn: what a served widget sends instead of its code (filled in by web/assets.py).
// It links the widget's stylesheets once and imports its module from the app's address.
const base = new URL((document.body.dataset.baseUrl || '/voila/') + '../rdlearn/assets/',
                     window.location.href);
for (const [name, version] of Object.entries(__CSS__)) {
  if (!document.querySelector(`link[data-rd-asset="${name}"]`)) {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = new URL(`${name}?v=${version}`, base).href;
    link.dataset.rdAsset = name;
    document.head.appendChild(link);
  }
}
const module = await import(new URL(__JS__, base).href);
export default module.default;
