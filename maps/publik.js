// Draws the public Trygghetskartan map from the embedded JSON (#trygg-data): reports per
// grid cell coloured by class, hotspot areas as outlines, a legend, the title panel and
// banners. The data hold aggregates only (see layers/public.py). Every text reaches the
// page through textContent, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("trygg-data").textContent);
  var map = window[data.map];
  var T = data.texts;
  var trygg = window.trygg = { map: map, layers: {}, control: null };

  function node(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function escapeHtml(s) {  // the layer control takes its labels as HTML
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function number(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, T.thousands);
  }
  // A popup: a title, then rows [label, value]; a row with a null value is left out.
  function popup(title, rows, cats) {
    var box = node("div", "trygg-popup");
    box.appendChild(node("div", "trygg-popup-title", title));
    var dl = node("dl");
    function row(key, value) {
      if (value === null || value === undefined || value === "") { return; }
      dl.appendChild(node("dt", null, key));
      dl.appendChild(node("dd", null, value));
    }
    rows.forEach(function (r) { row(r[0], r[1]); });
    if (cats && cats.length) {
      var head = node("dt", null, T.categories);
      head.style.gridColumn = "1 / -1";
      head.style.fontWeight = "600";
      head.style.marginTop = "4px";
      dl.appendChild(head);
      cats.forEach(function (c) { row(c[0], number(c[1])); });
    }
    box.appendChild(dl);
    return box;
  }

  // -- layers -------------------------------------------------------------------
  var control = trygg.control = L.control.layers(null, null, { collapsed: false });
  (data.background || []).forEach(function (b) {  // beneath everything, styled by kind
    var layer = TryggReadable.background(b, map).addTo(map);
    control.addOverlay(layer, escapeHtml(T.background + ": " + (b.label || b.name)));
  });
  var names = TryggReadable.names(map);  // street and place names (readable.js)
  if (names) { control.addOverlay(names.addTo(map), escapeHtml(T.background + ": " +
                                                               names.label)); }
  if (data.cells) {
    var cells = L.geoJSON(data.cells, {
      style: function (f) {
        return { color: "#6b6b6b", weight: 0.6, opacity: 0.8,
                 fillColor: data.colours[f.properties.klass] || "#999", fillOpacity: 0.7 };
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(function () {
          return popup(T.cell, [[T.reports, number(p.n)], [T.period, p.period]], p.cats);
        }, { maxWidth: 320 });
      }
    }).addTo(map);
    trygg.layers.cells = cells;
    control.addOverlay(cells, escapeHtml(T.cells_layer));
  }
  if (data.hotspots) {
    var hotspots = L.geoJSON(data.hotspots, {
      style: function () { return { color: data.hotspot_colour, weight: 3, opacity: 0.9 }; },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(function () {
          return popup(p.name, [[T.rank, p.rank], [T.reports, number(p.n)],
                                [T.cells, p.cells], [T.period, p.period],
                                [T.share_dark, p.share_dark], [T.busiest, p.busiest]], p.cats);
        }, { maxWidth: 320 });
      }
    }).addTo(map);
    trygg.layers.hotspots = hotspots;
    control.addOverlay(hotspots, escapeHtml(T.hotspots_layer));
  }
  control.addTo(map);

  // -- title panel, legend, banners ---------------------------------------------
  var panel = L.control({ position: "topleft" });
  panel.onAdd = function () {
    var box = node("div", "trygg-title");
    box.appendChild(node("h1", null, data.title));
    data.subtitle.forEach(function (line) { box.appendChild(node("p", null, line)); });
    box.appendChild(node("p", "trygg-note", data.note));
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  panel.addTo(map);

  if (data.legend.length) {
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var box = node("div", "trygg-legend");
      box.appendChild(node("h2", null, T.legend));
      var list = node("ul");
      data.legend.forEach(function (entry) {
        var item = node("li");
        var swatch = node("span", "trygg-swatch");
        swatch.style.background = entry[1];
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(entry[0]));
        list.appendChild(item);
      });
      box.appendChild(list);
      if (data.hotspots) {
        var more = node("ul");
        var item = node("li");
        item.appendChild(node("span", "trygg-outline"));
        item.appendChild(document.createTextNode(T.hotspot_note));
        more.appendChild(item);
        box.appendChild(more);
      }
      return box;
    };
    legend.addTo(map);
  }

  var banner = node("div", "trygg-banner");
  if (data.synthetic) { banner.appendChild(node("span", "trygg-synthetic", T.synthetic)); }
  banner.appendChild(node("span", "trygg-publik", T.publik));
  map.getContainer().appendChild(banner);

  TryggReadable.attach(map, trygg);  // zoom-dependent looks, no overlapping labels
  trygg.ready = true;
  document.documentElement.dataset.tryggReady = "1";
})();
