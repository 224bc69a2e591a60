// Draws the reports of a Trygghetskartan map from the embedded JSON (#trygg-data).
// Report text only ever reaches the page through textContent: never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("trygg-data").textContent);
  var map = window[data.map];
  var T = data.texts;
  var trygg = window.trygg = { map: map, layers: {}, markers: {}, control: null };

  function node(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function dot(colour) {
    var d = node("span", "trygg-dot");
    d.style.background = colour;
    return d;
  }
  function popup(r) {
    var cat = data.categories[r[2]], src = data.sources[r[3]];
    var box = node("div", "trygg-popup");
    var title = node("div", "trygg-popup-title");
    title.appendChild(dot(cat.colour));
    title.appendChild(document.createTextNode(cat.label));
    box.appendChild(title);
    var dl = node("dl");
    function row(key, value) {
      if (value === null || value === undefined || value === "") { return; }
      dl.appendChild(node("dt", null, key));
      dl.appendChild(node("dd", null, value));
    }
    row(T.source, src.label);
    row(T.date, r[4]);
    row(T.place, r[5]);
    row(T.description, r[6]);
    row(T.id, r[7]);
    box.appendChild(dl);
    return box;
  }

  var control = trygg.control = L.control.layers(null, null, { collapsed: data.collapsed });
  (data.background || []).forEach(function (b) {
    var layer = window[b.variable];
    if (layer) { control.addOverlay(layer, escapeHtml(T.background + ": " + b.name)); }
  });
  function overlayPopup(o, props) {
    var box = node("div", "trygg-popup");
    box.appendChild(node("div", "trygg-popup-title", o.name));
    var dl = node("dl");
    o.fields.forEach(function (f) {
      var value = props[f[0]];
      if (value === null || value === undefined || value === "") { return; }
      dl.appendChild(node("dt", null, f[1]));
      dl.appendChild(node("dd", null, value));
    });
    box.appendChild(dl);
    return box;
  }
  trygg.overlays = {};
  (data.overlays || []).forEach(function (o) {
    var style = o.kind === "gistar"
      ? function (f) {
          return { stroke: false, fillColor: o.colours[f.properties.klass] || "#999",
                   fillOpacity: 0.55 };
        }
      : function () {
          return { color: "#5b1a8a", weight: 2.5, fillColor: "#8e44ad", fillOpacity: 0.12 };
        };
    var layer = L.geoJSON(o.geojson, {
      style: style,
      onEachFeature: function (f, l) {
        l.bindPopup(function () { return overlayPopup(o, f.properties); }, { maxWidth: 320 });
      }
    });
    layer.addTo(map);
    trygg.overlays[o.name] = layer;
    control.addOverlay(layer, escapeHtml(o.name));
  });
  var counts = {};
  data.categories.forEach(function (cat) {
    trygg.layers[cat.code] = L.layerGroup();
    counts[cat.code] = 0;
  });
  data.reports.forEach(function (r) {
    var cat = data.categories[r[2]];
    var marker = L.circleMarker([r[0], r[1]], {
      radius: 6, color: "#222", weight: 1, fillColor: cat.colour, fillOpacity: 0.85
    });
    marker.bindPopup(function () { return popup(r); }, { maxWidth: 320 });
    marker.reportId = r[7];
    trygg.markers[r[7]] = marker;
    trygg.layers[cat.code].addLayer(marker);
    counts[cat.code] += 1;
  });
  data.categories.forEach(function (cat) {
    var layer = trygg.layers[cat.code];
    layer.addTo(map);
    var label = '<span class="trygg-dot" style="background:' + escapeHtml(cat.colour) +
      '"></span>' + escapeHtml(cat.label) + " (" + counts[cat.code] + ")";
    control.addOverlay(layer, label);
  });
  control.addTo(map);

  var title = L.control({ position: "topleft" });
  title.onAdd = function () {
    var box = node("div", "trygg-title");
    box.appendChild(node("h1", null, data.title));
    data.subtitle.forEach(function (line) { box.appendChild(node("p", null, line)); });
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  title.addTo(map);

  var legend = L.control({ position: "bottomleft" });
  legend.onAdd = function () {
    var box = node("div", "trygg-legend");
    box.appendChild(node("h2", null, T.legend));
    var list = node("ul");
    data.categories.forEach(function (cat) {
      var item = node("li");
      item.dataset.category = cat.code;
      item.appendChild(dot(cat.colour));
      item.appendChild(document.createTextNode(cat.label + " (" + counts[cat.code] + ")"));
      list.appendChild(item);
    });
    if (!data.categories.length) { list.appendChild(node("li", null, T.no_reports)); }
    box.appendChild(list);
    (data.overlays || []).forEach(function (o) {
      if (!o.legend.length) { return; }
      box.appendChild(node("h2", null, o.name));
      var classes = node("ul");
      o.legend.forEach(function (entry) {
        var item = node("li");
        var swatch = node("span", "trygg-swatch");
        swatch.style.background = entry[2];
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(entry[1]));
        classes.appendChild(item);
      });
      box.appendChild(classes);
    });
    return box;
  };
  legend.addTo(map);
  map.on("overlayadd overlayremove", function () {
    document.querySelectorAll(".trygg-legend li[data-category]").forEach(function (li) {
      li.style.display = map.hasLayer(trygg.layers[li.dataset.category]) ? "" : "none";
    });
  });

  var banner = node("div", "trygg-banner");
  if (data.synthetic) { banner.appendChild(node("span", "trygg-synthetic", T.synthetic)); }
  if (data.intern) { banner.appendChild(node("span", "trygg-intern", T.intern)); }
  map.getContainer().appendChild(banner);
  trygg.ready = true;
  document.documentElement.dataset.tryggReady = "1";
})();
