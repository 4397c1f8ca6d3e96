/* rdlearn's charts: each chart is an HTML figure holding its plotly JSON
   (<figure class="rd-chart" data-rd-spec="...">, written by rdlearn.figures). It is drawn
   the first time it comes into view, with the plotly.js the server ships; plotly.js is
   fetched once, when the first chart is about to show, so a page is usable before any
   chart costs the browser its second or so of work. Every chart is found as it is added
   to the page (Voilà adds all outputs after loading; a revealed answer or the next slide
   adds more later). */
(function () {
  'use strict';
  var script = document.currentScript;
  var plotlySrc = script && script.dataset.plotly;
  var loading = null;
  var found = new WeakSet();

  function loadPlotly() {
    if (window.Plotly) { return Promise.resolve(window.Plotly); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement('script');
        tag.src = plotlySrc;
        tag.onload = function () { resolve(window.Plotly); };
        tag.onerror = function () { loading = null; reject(new Error('plotly.js did not load')); };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function problem(figure, text) {
    var area = figure.querySelector('.rd-chart__plot');
    if (!area) { return; }
    area.style.minHeight = '';
    area.textContent = text;
    area.className = 'rd-chart__plot rd-chart__problem';
    area.setAttribute('role', 'status');
  }

  function draw(figure) {
    var area = figure.querySelector('.rd-chart__plot');
    var spec;
    try {
      spec = JSON.parse(figure.dataset.rdSpec);
    } catch (err) {
      problem(figure, 'This chart could not be read. Its figures are in the table below.');
      return;
    }
    loadPlotly().then(function (Plotly) {
      return Plotly.newPlot(area, spec.data || [], spec.layout || {}, spec.config || {});
    }).then(function () {
      figure.classList.add('rd-chart--drawn');
    }).catch(function () {
      problem(figure, 'This chart could not be drawn. Its figures are in the table below.');
    });
  }

  var watcher = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        watcher.unobserve(entry.target);
        draw(entry.target);
      }
    });
  }, { rootMargin: '200px 0px' }) : null;

  function scan(root) {
    if (root.nodeType !== 1) { return; }
    var figures = root.matches('figure.rd-chart') ? [root] : root.querySelectorAll('figure.rd-chart');
    Array.prototype.forEach.call(figures, function (figure) {
      if (found.has(figure)) { return; }
      found.add(figure);
      if (watcher) { watcher.observe(figure); } else { draw(figure); }
    });
  }

  new MutationObserver(function (changes) {
    changes.forEach(function (change) { change.addedNodes.forEach(scan); });
  }).observe(document.documentElement, { subtree: true, childList: true });
})();
