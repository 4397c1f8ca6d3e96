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

  /* On a narrow screen (a phone), a chart's title, source line, panel titles and axis titles
     are wrapped at word boundaries with <br> to the width they have, measured in the
     chart's own font, and the figure grows by the extra lines, so nothing runs off the chart
     or covers the plot. A chart without a title (the keynote's slides write theirs as HTML)
     is left as it is; so is one whose text already fits (a laptop). */
  var ruler = null;

  function textWidth(text, size, family) {
    ruler = ruler || document.createElement('canvas').getContext('2d');
    ruler.font = size + 'px ' + (family || 'sans-serif');
    // a canvas may pick a slightly narrower face than the chart's SVG text: leave 8% spare
    return ruler.measureText(text.replace(/<[^>]+>/g, '')).width * 1.08;
  }

  // Text whose lines all fit keeps its lines (a laptop's chart is unchanged); otherwise it
  // is flowed again as one paragraph, a line as long as fits in ``room`` pixels.
  function wrapText(text, size, family, room) {
    var given = String(text).split(/<br\s*\/?>/i);
    if (given.every(function (line) { return textWidth(line, size, family) <= room; })) {
      return given;
    }
    var lines = [];
    var current = '';
    given.join(' ').split(/\s+/).forEach(function (word) {
      if (!word) { return; }
      var next = current ? current + ' ' + word : word;
      if (current && textWidth(next, size, family) > room) {
        lines.push(current);
        current = word;
      } else {
        current = next;
      }
    });
    lines.push(current);
    return lines;
  }

  function lineCount(text) { return String(text).split(/<br\s*\/?>/i).length; }

  function original(obj, key) {
    if (!obj) { return null; }
    if (obj['_rd_' + key] === undefined) { obj['_rd_' + key] = obj[key]; }
    return obj['_rd_' + key];
  }

  function fitTitle(layout, width, family) {
    var title = layout.title;
    var grow = 0;
    var room = width * (1 - (title.x || 0)) - 12;
    var text = original(title, 'text');
    var size = (title.font && title.font.size) || 22;
    var lines = wrapText(text, size, family, room);
    title.text = lines.join('<br>');
    grow += (lines.length - lineCount(text)) * size * 1.3;
    // plotly keeps a title of several lines inside the figure only when asked to
    if (grow > 0) { title.automargin = true; }
    if (title.subtitle && title.subtitle.text) {
      var sub = original(title.subtitle, 'text');
      var subSize = (title.subtitle.font && title.subtitle.font.size) || 14;
      var subLines = wrapText(sub, subSize, family, room);
      title.subtitle.text = subLines.join('<br>');
      grow += (subLines.length - lineCount(sub)) * subSize * 1.3;
    }
    return grow;
  }

  function centredRoom(at, width) { return 2 * Math.min(at, width - at) - 12; }

  function panelTops(layout) {
    return Object.keys(layout).filter(function (key) {
      return /^yaxis\d*$/.test(key) && layout[key] && layout[key].domain;
    }).map(function (key) { return layout[key].domain; });
  }

  /* After a first drawing, plotly knows the plot area (its margins grow for the labels):
     wrap what is placed around it. Returns the extra room wanted: above the plot, between
     panels (as a share of the plot height) and below the plot, in pixels. */
  function fitPlaced(layout, size, width, family) {
    var grow = {top: 0, between: 0, bottom: 0};
    var domains = panelTops(layout);
    var gap = 1;
    domains.forEach(function (d) {
      domains.forEach(function (e) { if (e[0] >= d[1] - 1e-6) { gap = Math.min(gap, e[0] - d[1]); } });
    });
    var axisBelow = 0;
    Object.keys(layout).forEach(function (key) {
      var axis = layout[key];
      if (!/^xaxis\d*$/.test(key) || !axis || !axis.title || !axis.title.text) { return; }
      var text = original(axis.title, 'text');
      var domain = axis.domain || [0, 1];
      var at = size.l + (domain[0] + domain[1]) / 2 * size.w;
      var fontSize = (axis.title.font && axis.title.font.size) ||
        Math.round(((layout.font && layout.font.size) || 12) * 1.2);
      axis.title.text = wrapText(text, fontSize, family, centredRoom(at, width)).join('<br>');
      var extra = (lineCount(axis.title.text) - lineCount(text)) * fontSize * 1.3;
      if (domains.length > 1 && gap < 1) { grow.between = Math.max(grow.between, extra); }
      if ((axis.domain || [0, 1])[0] < 0.01 || !axis.anchor || axis.anchor === 'y') {
        axisBelow = Math.max(axisBelow, extra);
      }
    });
    var notesBelow = axisBelow;
    (layout.annotations || []).forEach(function (ann) {
      var inPanel = /^x\d* domain$/.test(ann.xref || '');
      if (ann.showarrow || !ann.text || !(ann.xref === 'paper' || inPanel) ||
          !/^(paper|y\d* domain)$/.test(ann.yref || '')) { return; }
      var text = original(ann, 'text');
      var x = original(ann, 'x') || 0;
      var yshift = original(ann, 'yshift') || 0;
      var fontSize = (ann.font && ann.font.size) || 17;
      var share = x;
      if (inPanel) {
        var panel = layout['xaxis' + ann.xref.split(' ')[0].slice(1)] || {};
        var dom = panel.domain || [0, 1];
        share = dom[0] + x * (dom[1] - dom[0]);
      }
      var at = size.l + share * size.w;
      var anchor = ann.xanchor || 'center';
      var room = anchor === 'left' ? width - at - 12 : anchor === 'right' ? at - 12
        : centredRoom(at, width);
      if (!inPanel && anchor === 'center' && room < width * 0.6 && x > 0.3 && x < 0.7) {
        // a title over a panel as wide as the chart: centre it on the chart instead
        ann.x = (width / 2 - size.l) / size.w;
        room = width - 24;
      } else if (!inPanel && anchor === 'left' && ann.y <= 0 && room < width * 0.7 &&
                 wrapText(text, fontSize, family, room).length > lineCount(text)) {
        // a note under the chart: start it at the chart's left edge, not the plot's
        ann.x = (12 - size.l) / size.w;
        room = width - 24;
      }
      var lines = wrapText(text, fontSize, family, room);
      ann.text = lines.join('<br>');
      var extra = (lines.length - lineCount(text)) * fontSize * 1.3;
      if (ann.yanchor === 'top' && ann.y <= 0) {
        // a note under the chart: the ones after it move down by its extra lines
        ann.yshift = yshift - notesBelow;
        notesBelow += extra;
      } else if (ann.yanchor === 'bottom' && ann.y >= 0.99) {
        grow.top = Math.max(grow.top, extra);
      } else if (ann.yanchor === 'bottom' && gap < 1) {
        grow.between = Math.max(grow.between, extra);
      }
    });
    grow.bottom = notesBelow;
    Object.keys(layout).forEach(function (key) {
      var axis = layout[key];
      if (!/^yaxis\d*$/.test(key) || !axis || !axis.title || !axis.title.text) { return; }
      var text = original(axis.title, 'text');
      var dom = axis.domain || [0, 1];
      var fontSize = (axis.title.font && axis.title.font.size) ||
        Math.round(((layout.font && layout.font.size) || 12) * 1.2);
      // a y axis title runs along its axis: at most the height of its panel
      axis.title.text = wrapText(text, fontSize, family, (dom[1] - dom[0]) * size.h - 8).join('<br>');
    });
    grow.gap = gap;
    return grow;
  }

  // Long category names on a y axis (a bar or dot per study) would push the plot off a
  // phone's screen: each takes at most 45% of the width, on as many lines as it needs.
  function fitCategories(layout, data, width, family) {
    var room = width * 0.5;
    var fontSize = (layout.font && layout.font.size) || 17;
    var names = {};
    var needed = 0;
    data.forEach(function (trace) {
      if (!trace.y || typeof trace.y[0] !== 'string') { return; }
      var key = 'yaxis' + String(trace.yaxis || 'y').slice(1);
      names[key] = names[key] || [];
      trace.y.forEach(function (name) {
        if (names[key].indexOf(name) < 0) { names[key].push(name); }
      });
    });
    Object.keys(names).forEach(function (key) {
      var axis = layout[key] = layout[key] || {};
      if (axis.tickmode === 'array' && !axis._rdTicks) { return; }
      var text = names[key].map(function (name) {
        return wrapText(name, fontSize, family, room).join('<br>');
      });
      var same = text.every(function (t, i) { return t === names[key][i]; });
      if (same && !axis._rdTicks) { return; }
      var most = text.reduce(function (n, t) { return Math.max(n, lineCount(t)); }, 1);
      needed = Math.max(needed, text.length * (most * fontSize * 1.3 + 12));
      axis._rdTicks = true;
      axis.tickmode = 'array';
      axis.tickvals = names[key];
      axis.ticktext = text;
    });
    return needed;
  }

  // A legend's entries take at most the chart's width (on as many lines as they need).
  function fitLegend(layout, data, width, family) {
    var fontSize = (layout.legend && layout.legend.font && layout.legend.font.size) ||
      (layout.font && layout.font.size) || 12;
    var grow = 0;
    data.forEach(function (trace) {
      if (!trace.name || trace.showlegend === false) { return; }
      var name = original(trace, 'name');
      trace.name = wrapText(name, fontSize, family, width - 70).join('<br>');
      grow += (lineCount(trace.name) - lineCount(name)) * fontSize * 1.3;
    });
    return layout.showlegend === false ? 0 : grow;
  }

  function fit(area, spec, Plotly) {
    var layout = spec.layout || {};
    var title = layout.title;
    var data = spec.data || [];
    var config = spec.config || {};
    if (!title || !title.text) { return Plotly.newPlot(area, data, layout, config); }
    var width = area.clientWidth;
    var family = layout.font && layout.font.family;
    var margin = layout.margin = layout.margin || {};
    var base = original(layout, 'height') || 450;
    var top = original(margin, 't');
    var bottom = original(margin, 'b');
    if (top === undefined || top === null) { top = 100; }
    if (bottom === undefined || bottom === null) { bottom = 80; }
    var labels = fitCategories(layout, data, width, family);
    var top0 = original(margin, 't');
    var bottom0 = original(margin, 'b');
    // the plot grows when its wrapped category names need more height than it has
    base += Math.max(0, labels - (base - (top0 || 100) - (bottom0 || 80)));
    var titleGrow = fitTitle(layout, width, family);
    var legendGrow = fitLegend(layout, data, width, family);
    margin.t = top + titleGrow;
    margin.b = bottom + legendGrow;
    layout.height = base + titleGrow + legendGrow;
    return Plotly.newPlot(area, data, layout, config).then(function (gd) {
      var size = gd._fullLayout && gd._fullLayout._size;
      if (!size || !size.w) { return gd; }
      var grow = fitPlaced(layout, size, width, family);
      var moved = (layout.annotations || []).some(function (ann) {
        return ann._rd_x !== undefined && ann.x !== ann._rd_x;
      });
      if (!moved && !grow.top && !grow.between && !grow.bottom && !titleGrow && !legendGrow) {
        return gd;
      }
      margin.t = top + titleGrow + grow.top;
      margin.b = bottom + legendGrow + grow.bottom;
      // the gap between stacked panels is a share of the plot height: grow the plot so
      // the gap holds a lower panel's longer title and an upper panel's axis title
      var plotGrow = grow.between ? grow.between / grow.gap : 0;
      layout.height = base + titleGrow + legendGrow + grow.top + grow.bottom + plotGrow;
      return Plotly.react(area, data, layout, config);
    });
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
      return fit(area, spec, Plotly);
    }).then(function () {
      drawn.push({figure: figure, area: area, spec: spec, width: area.clientWidth});
      figure.classList.add('rd-chart--drawn');
    }).catch(function () {
      problem(figure, 'This chart could not be drawn. Its figures are in the table below.');
    });
  }

  // A chart drawn at one width is fitted again when the window's width changes (a phone
  // turned on its side), once per frame at most.
  var drawn = [];
  var pending = false;
  window.addEventListener('resize', function () {
    if (pending || !window.Plotly) { return; }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      drawn.forEach(function (item) {
        var width = item.area.clientWidth;
        if (!width || width === item.width || !document.contains(item.area)) { return; }
        item.width = width;
        fit(item.area, item.spec, window.Plotly);
      });
    });
  });

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
