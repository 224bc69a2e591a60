// Draws a Trygghetskartan map from the embedded JSON (#trygg-data): reports by category,
// a filter panel (category, source, kind, period, time of day) that updates markers and
// counts in place, analysis overlays, legends, banners, and a URL hash that keeps the
// filter and the view so that a link reopens the same view.
// Report text, names and options only ever reach the page through textContent (or, where
// Leaflet takes HTML — layer control labels, attribution — escaped first): never as HTML.
// Lookups keyed by data (report ids, hotspot ids, layer names) have no prototype, and the
// URL hash is read defensively, so no text or link can stop this script.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("trygg-data").textContent);
  var map = window[data.map];
  var T = data.texts;
  var UI = window.TryggUI;  // ui.js: folding panels, banner strip, scale, print view
  UI.furnish(map, T);
  var trygg = window.trygg = { map: map, layers: Object.create(null),
                               markers: Object.create(null), overlays: Object.create(null),
                               control: null };
  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }
  function fill(template, key, value) {  // no $-patterns: the value is inserted as is
    return template.split("{" + key + "}").join(String(value));
  }

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
  function dot(colour, icon) {
    var d = node("span", "trygg-dot", icon || null);
    d.style.background = colour;
    return d;
  }
  // A circle marker with the category's symbol drawn in white once zoomed in.
  var IconMarker = L.CircleMarker.extend({
    _updatePath: function () {
      L.CircleMarker.prototype._updatePath.call(this);
      var renderer = this._renderer, ctx = renderer && renderer._ctx;
      if (!ctx || !this._map || this._map.getZoom() < 14 || !this.options.icon) { return; }
      var p = this._point;
      ctx.save();
      ctx.fillStyle = "#fff";
      ctx.font = "bold 9px 'DejaVu Sans', 'Segoe UI Symbol', sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(this.options.icon, p.x, p.y + 0.5);
      ctx.restore();
    }
  });
  function number(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, T.thousands);
  }
  function showing(n, total) {  // "Visar 3 av 1 234 rapporter", "Visar 1 av 1 rapport"
    return fill(fill(total === 1 ? T.showing_one : T.showing, "n", number(n)), "total",
                number(total));
  }
  function popup(r) {
    var cat = data.categories[r[2]], src = data.sources[r[3]];
    var box = node("div", "trygg-popup");
    var title = node("div", "trygg-popup-title");
    title.appendChild(dot(cat.colour, cat.icon));
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
    var hotspot = hotspotOf(r[0], r[1]);
    if (hotspot) { row(T.hotspot, hotspot); }
    box.appendChild(dl);
    return box;
  }
  function weekdayHourChart(o, counts) {
    // 7 rows (Monday first) × 24 hours; darker = more reports. Built as SVG elements.
    var ns = "http://www.w3.org/2000/svg", cell = 9, left = 28, top = 4;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "trygg-chart");
    svg.setAttribute("width", String(left + 24 * cell + 2));
    svg.setAttribute("height", String(top + 7 * cell + 14));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", o.chart);
    var max = Math.max.apply(null, counts.concat([1]));
    for (var d = 0; d < 7; d += 1) {
      var label = document.createElementNS(ns, "text");
      label.setAttribute("x", "0");
      label.setAttribute("y", String(top + d * cell + cell - 1));
      label.textContent = o.weekdays[d];
      svg.appendChild(label);
      for (var h = 0; h < 24; h += 1) {
        var n = counts[d * 24 + h] || 0;
        var rect = document.createElementNS(ns, "rect");
        rect.setAttribute("x", String(left + h * cell));
        rect.setAttribute("y", String(top + d * cell));
        rect.setAttribute("width", String(cell - 1));
        rect.setAttribute("height", String(cell - 1));
        rect.setAttribute("fill", n ? "rgba(91,26,138," + (0.15 + 0.85 * n / max) + ")"
                                    : "#f1f1f1");
        var tip = document.createElementNS(ns, "title");
        tip.textContent = o.weekdays[d] + " " + (h < 10 ? "0" : "") + h + ":00 – " + n;
        rect.appendChild(tip);
        svg.appendChild(rect);
      }
    }
    [0, 6, 12, 18].forEach(function (h) {
      var tick = document.createElementNS(ns, "text");
      tick.setAttribute("x", String(left + h * cell));
      tick.setAttribute("y", String(top + 7 * cell + 11));
      tick.textContent = (h < 10 ? "0" : "") + h;
      svg.appendChild(tick);
    });
    return svg;
  }
  function overlayPopup(o, props) {
    var box = node("div", "trygg-popup");
    box.appendChild(node("div", "trygg-popup-title", o.name));
    var dl = node("dl");
    o.fields.forEach(function (f) {
      var value = props[f[0]];
      if (value === null || value === undefined || value === "") { return; }
      dl.appendChild(node("dt", null, f[1]));
      dl.appendChild(node("dd", null, typeof value === "number" ? number(value) : value));
    });
    box.appendChild(dl);
    if (o.kind === "hotspots" && data.reports.length) {
      var show = node("button", "trygg-show-reports", T.show_reports);
      show.type = "button";
      show.addEventListener("click", function () {
        state.area = props.hotspot_id || "";
        apply();
        map.closePopup();
      });
      box.appendChild(show);
    }
    var counts = null;
    try { counts = props.weekday_hour ? JSON.parse(props.weekday_hour) : null; } catch (e) {
      counts = null;
    }
    if (Array.isArray(counts)) {
      if (counts.length === 168) {
        box.appendChild(node("div", "trygg-chart-title", o.chart));
        box.appendChild(weekdayHourChart(o, counts));
      }
    }
    return box;
  }

  // -- point in polygon (for "show the reports of this hotspot") ------------------
  var areas = Object.create(null);  // hotspot id -> GeoJSON (Multi)Polygon, lon/lat
  function inRing(lon, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }
  function inGeometry(lon, lat, geom) {
    var polygons = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
    return polygons.some(function (rings) {
      return inRing(lon, lat, rings[0]) &&
        !rings.slice(1).some(function (hole) { return inRing(lon, lat, hole); });
    });
  }

  var areaNames = Object.create(null);  // hotspot id -> "Busstationen, Strandvik (rang 1)"
  function hotspotOf(lat, lon) {
    var ids = Object.keys(areas);
    for (var i = 0; i < ids.length; i += 1) {
      if (inGeometry(lon, lat, areas[ids[i]])) { return areaNames[ids[i]] || ids[i]; }
    }
    return null;
  }

  // -- layers -------------------------------------------------------------------
  var control = trygg.control = L.control.layers(null, null, { collapsed: data.collapsed });
  var groups = [];  // [heading, first label text] in the order the layers were added
  function addToGroup(layer, label, heading) {
    if (!groups.length || groups[groups.length - 1][0] !== heading) {
      groups.push([heading, label]);
    }
    control.addOverlay(layer, escapeHtml(label));
  }
  if (data.basemap) {  // online tiles, only when the map was made with --basemap
    L.tileLayer(data.basemap.url, { maxZoom: data.basemap.max_zoom,
                                    attribution: escapeHtml(data.basemap.attribution) })
      .addTo(map);
  }
  (data.background || []).forEach(function (b) {  // beneath everything, styled by kind
    var layer = TryggReadable.background(b, map).addTo(map);
    addToGroup(layer, b.label || b.name, T.background);
  });
  var names = TryggReadable.names(map);  // street and place names (readable.js)
  if (names) { addToGroup(names.addTo(map), names.label, T.background); }
  // walks and actions above the reports, in their own panes drawn as SVG: the panes let
  // clicks through (a canvas covering the map would take every click from the reports
  // beneath), the stops and actions themselves take them
  var paneRenderers = {};
  [["trygg-actions", 620], ["trygg-walk", 630]].forEach(function (p) {
    var el = map.createPane(p[0]);
    el.style.zIndex = String(p[1]);
    el.style.pointerEvents = "none";
    paneRenderers[p[0]] = L.svg({ pane: p[0] });
  });
  (data.overlays || []).forEach(function (o) {
    var pane = o.kind === "walk" ? "trygg-walk" : o.kind === "actions" ? "trygg-actions" : null;
    if (o.kind === "image") {
      var image = L.imageOverlay(o.url, o.bounds, { opacity: 0.75, interactive: false });
      image.addTo(map);
      trygg.overlays[o.name] = image;
      addToGroup(image, o.name, T.analyses);
      return;
    }
    var colour = function (f) {
      return has(o.colours, f.properties.klass) ? o.colours[f.properties.klass] : "#999";
    };
    var style = (o.kind === "gistar" || o.kind === "cells")
      ? function (f) {
          return { stroke: false, fillColor: colour(f), fillOpacity: 0.55 };
        }
      : (o.kind === "walk" || o.kind === "actions")
        ? function (f) { return { color: colour(f), weight: 3.5, opacity: 0.85 }; }
        : function () {
            return { color: "#5b1a8a", weight: 2.5, fillColor: "#8e44ad", fillOpacity: 0.12 };
          };
    var layer = L.geoJSON(o.geojson, {
      style: style,
      pane: pane || "overlayPane",
      renderer: pane ? paneRenderers[pane] : undefined,
      // points as circles (never Leaflet's default marker, an image file)
      pointToLayer: function (f, latlng) {
        var stop = o.kind === "walk";
        var options = { radius: stop ? 11 : 8, color: "#fff", weight: 2,
                        fillColor: colour(f), fillOpacity: 0.95 };
        if (pane) { options.pane = pane; options.renderer = paneRenderers[pane]; }
        return L.circleMarker(latlng, options);
      },
      onEachFeature: function (f, l) {
        if (o.kind === "walk" && f.properties.stop) {
          l.bindTooltip(String(f.properties.stop), { permanent: true, direction: "center",
                                                     className: "trygg-stop" });
        }
        if (o.kind === "walk" && !f.properties.stop) { return; }  // the route: no popup
        if (o.kind === "hotspots" && f.properties.rank) {
          l.bindTooltip(String(f.properties.rank), { permanent: true, direction: "center",
                                                      className: "trygg-rank" });
        }
        if (o.kind === "hotspots" && f.properties.hotspot_id) {
          areas[f.properties.hotspot_id] = f.geometry;
          areaNames[f.properties.hotspot_id] = (f.properties.name || f.properties.hotspot_id) +
            " (" + T.rank + " " + f.properties.rank + ")";
        }
        l.bindPopup(function () { return overlayPopup(o, f.properties); },
                    UI.popupOptions());
      }
    });
    // a walk's route and stops, and actions, keep their look at every zoom (readable.js)
    layer.tryggOwnStyle = o.kind === "walk" || o.kind === "actions";
    layer.addTo(map);
    trygg.overlays[o.name] = layer;
    addToGroup(layer, o.name, T.analyses);
  });

  var reportsLayer = L.layerGroup().addTo(map);
  var entries = [];  // one per report: {row, marker, cat, src, kind, day, hour}
  // One click handler per category (not one popup per marker): 100,000 markers load fast.
  function openReport(e) {
    L.popup(UI.popupOptions()).setLatLng(e.layer.getLatLng())
      .setContent(popup(e.layer.row)).openOn(map);
  }
  data.categories.forEach(function (cat) {
    trygg.layers[cat.code] = L.featureGroup().on("click", openReport).addTo(reportsLayer);
  });
  data.reports.forEach(function (r) {
    var cat = data.categories[r[2]];
    var marker = new IconMarker([r[0], r[1]], {
      radius: 6, color: "#222", weight: 1, fillColor: cat.colour, fillOpacity: 0.85,
      icon: cat.icon
    });
    marker.row = r;
    marker.reportId = r[7];
    trygg.markers[r[7]] = marker;
    entries.push({ marker: marker, lat: r[0], lon: r[1], cat: cat.code,
                   src: data.sources[r[3]].code,
                   kind: cat.kind || "", day: r[4].slice(0, 10),
                   hour: parseInt(r[4].slice(11, 13), 10) });
  });
  if (data.reports.length) {
    addToGroup(reportsLayer, T.reports_layer, T.reports_group);
  }
  function addHeadings() {  // Leaflet's control has no groups: put a heading before each
    var labels = control.getContainer()
      .querySelectorAll(".leaflet-control-layers-overlays label");
    groups.forEach(function (g) {
      for (var i = 0; i < labels.length; i += 1) {
        if (labels[i].textContent.trim() === String(g[1]).trim()) {
          labels[i].parentNode.insertBefore(node("div", "trygg-group", g[0]), labels[i]);
          break;
        }
      }
    });
  }
  var update = control._update;
  control._update = function () {  // Leaflet rebuilds the list when layers change
    var result = update.apply(this, arguments);
    addHeadings();
    return result;
  };
  control.addTo(map);
  var layersToggle = control.getContainer().querySelector(".leaflet-control-layers-toggle");
  if (layersToggle) { layersToggle.title = T.layers; }
  UI.collapsible(control.getContainer(), T.layers, true);

  // -- filter state and URL hash -------------------------------------------------
  var all = { cat: data.categories.map(function (c) { return c.code; }),
              src: data.sources.map(function (s) { return s.code; }),
              kind: data.kinds.map(function (k) { return k.code; }) };
  var state = { cat: all.cat.slice(), src: all.src.slice(), kind: all.kind.slice(),
                from: "", to: "", h0: 0, h1: 24, area: "" };

  // The hash is whatever a link holds: every part is decoded on its own (a broken %-escape
  // drops that part), only known keys are kept (in an object without prototype) and each
  // value is checked before it is used.
  var HASH_KEYS = ["cat", "src", "kind", "hs", "from", "to", "h", "z", "c"];
  function decode(text) {
    try { return decodeURIComponent(text); } catch (e) { return null; }
  }
  function hashParams() {
    var params = Object.create(null), raw = "";
    try { raw = String(window.location.hash || ""); } catch (e) { raw = ""; }
    raw.replace(/^#/, "").split("&").forEach(function (part) {
      var i = part.indexOf("=");
      var key = decode(i < 0 ? part : part.slice(0, i));
      var value = decode(i < 0 ? "" : part.slice(i + 1));
      if (key !== null && value !== null && HASH_KEYS.indexOf(key) >= 0) {
        params[key] = value;
      }
    });
    return params;
  }
  function isDay(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) { return false; }
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 &&
      d.getUTCDate() === +m[3];
  }
  function readHash() {
    var params = hashParams();
    ["cat", "src", "kind"].forEach(function (key) {
      if (params[key] !== undefined) {
        var wanted = params[key] ? params[key].split(",") : [];
        state[key] = all[key].filter(function (v) { return wanted.indexOf(v) >= 0; });
      }
    });
    state.area = (params.hs !== undefined && has(areas, params.hs)) ? params.hs : "";
    if (isDay(params.from || "")) { state.from = params.from; }
    if (isDay(params.to || "")) { state.to = params.to; }
    var h = /^(\d{1,2})-(\d{1,2})$/.exec(params.h || "");
    if (h) { state.h0 = Math.min(+h[1], 24); state.h1 = Math.min(+h[2], 24); }
    var z = /^\d{1,2}$/.test(params.z || "") ? parseInt(params.z, 10) : NaN;
    var c = /^-?\d{1,3}(\.\d+)?,-?\d{1,3}(\.\d+)?$/.test(params.c || "")
      ? params.c.split(",").map(Number) : null;
    if (isNaN(z) || !c || Math.abs(c[0]) > 90 || Math.abs(c[1]) > 180) { return null; }
    z = Math.max(map.getMinZoom() || 0, Math.min(z, map.getMaxZoom(), 22));
    return { zoom: z, centre: c };
  }
  function writeHash() {
    var c = map.getCenter(), parts = [];
    ["cat", "src", "kind"].forEach(function (key) {
      if (state[key].length !== all[key].length) { parts.push(key + "=" + state[key].join(",")); }
    });
    if (state.area) { parts.push("hs=" + encodeURIComponent(state.area)); }
    if (state.from) { parts.push("from=" + state.from); }
    if (state.to) { parts.push("to=" + state.to); }
    if (state.h0 !== 0 || state.h1 !== 24) { parts.push("h=" + state.h0 + "-" + state.h1); }
    parts.push("z=" + map.getZoom(), "c=" + c.lat.toFixed(5) + "," + c.lng.toFixed(5));
    history.replaceState(null, "", "#" + parts.join("&"));
  }
  function inHours(hour) {
    if (state.h0 === 0 && state.h1 === 24) { return true; }
    return state.h0 < state.h1 ? (hour >= state.h0 && hour < state.h1)
                               : (hour >= state.h0 || hour < state.h1);
  }
  function passes(e) {
    return state.cat.indexOf(e.cat) >= 0 && state.src.indexOf(e.src) >= 0 &&
      // a report without a kind (Övrigt) shows only while every kind is shown
      (e.kind ? state.kind.indexOf(e.kind) >= 0 : state.kind.length === all.kind.length) &&
      (!state.from || e.day >= state.from) && (!state.to || e.day <= state.to) &&
      inHours(e.hour) &&
      (!state.area || inGeometry(e.lon, e.lat, areas[state.area]));
  }

  // -- filter panel -------------------------------------------------------------
  var countNodes = {}, shownNode = node("p", "trygg-shown");
  function checkboxList(title, key, items) {
    var box = node("fieldset");
    box.appendChild(node("legend", null, title));
    items.forEach(function (item) {
      var label = node("label");
      var input = node("input");
      input.type = "checkbox";
      input.name = key;
      input.value = item.code;
      input.checked = state[key].indexOf(item.code) >= 0;
      input.addEventListener("change", function () {
        state[key] = all[key].filter(function (v) {
          return box.querySelector('input[value="' + v + '"]').checked;
        });
        apply();
      });
      label.appendChild(input);
      if (item.colour) { label.appendChild(dot(item.colour, item.icon)); }
      label.appendChild(document.createTextNode(item.label + " "));
      var count = node("span", "trygg-count");
      countNodes[key + ":" + item.code] = count;
      label.appendChild(count);
      box.appendChild(label);
    });
    return box;
  }
  var panel = L.control({ position: "topleft" });
  panel.onAdd = function () {
    var box = node("div", "trygg-filter");
    var head = node("div", "trygg-title trygg-keep");
    head.appendChild(node("h1", null, data.title));
    data.subtitle.forEach(function (line) { head.appendChild(node("p", null, line)); });
    head.appendChild(shownNode);
    box.appendChild(head);
    var details = node("div", "trygg-filter-body");
    details.appendChild(checkboxList(T.categories, "cat", data.categories));
    details.appendChild(checkboxList(T.sources, "src", data.sources));
    details.appendChild(checkboxList(T.kinds, "kind", data.kinds));
    var period = node("fieldset");
    period.appendChild(node("legend", null, T.period));
    [["from", T.from], ["to", T.to]].forEach(function (pair) {
      var label = node("label", "trygg-inline", pair[1] + " ");
      var input = node("input");
      input.type = "date";
      input.name = pair[0];
      input.min = data.first_day;
      input.max = data.last_day;
      input.value = state[pair[0]];
      input.addEventListener("change", function () {
        state[pair[0]] = /^\d{4}-\d{2}-\d{2}$/.test(input.value) ? input.value : "";
        apply();
      });
      label.appendChild(input);
      period.appendChild(label);
    });
    details.appendChild(period);
    var hours = node("fieldset");
    hours.appendChild(node("legend", null, T.time_of_day));
    [["h0", T.from], ["h1", T.to]].forEach(function (pair) {
      var label = node("label", "trygg-inline", pair[1] + " ");
      var select = node("select");
      select.name = pair[0];
      for (var h = 0; h <= 24; h += 1) {
        var option = node("option", null, (h < 10 ? "0" : "") + h + ":00");
        option.value = String(h);
        select.appendChild(option);
      }
      select.value = String(state[pair[0]]);
      select.addEventListener("change", function () {
        state[pair[0]] = parseInt(select.value, 10);
        apply();
      });
      label.appendChild(select);
      hours.appendChild(label);
    });
    details.appendChild(hours);
    var reset = node("button", "trygg-reset", T.reset);
    reset.type = "button";
    reset.addEventListener("click", function () {
      state = { cat: all.cat.slice(), src: all.src.slice(), kind: all.kind.slice(),
                from: "", to: "", h0: 0, h1: 24, area: "" };
      box.querySelectorAll("input[type=checkbox]").forEach(function (i) { i.checked = true; });
      box.querySelectorAll("input[type=date]").forEach(function (i) { i.value = ""; });
      box.querySelector("select[name=h0]").value = "0";
      box.querySelector("select[name=h1]").value = "24";
      apply();
    });
    details.appendChild(reset);
    box.appendChild(details);
    UI.collapsible(box, T.filter, data.reports.length > 0, head);
    return box;
  };
  panel.addTo(map);

  // Dense maps (more than data.cluster_min reports passing the filter) show clusters
  // below zoom CLUSTER_ZOOM: reports binned on a 60-pixel screen grid, one bubble per
  // bin with its count; a click zooms in. Closer in, every report is drawn.
  var CLUSTER_ZOOM = 15, BIN_PX = 60;
  var clusterLayer = L.featureGroup().addTo(reportsLayer);
  clusterLayer.on("click", function (e) {
    map.setView(e.layer.getLatLng(), Math.min(map.getZoom() + 2, CLUSTER_ZOOM));
  });
  var passing = [];
  function render() {
    var clustered = passing.length > data.cluster_min && map.getZoom() < CLUSTER_ZOOM;
    Object.keys(trygg.layers).forEach(function (code) { trygg.layers[code].clearLayers(); });
    clusterLayer.clearLayers();
    trygg.clustered = clustered;
    if (!clustered) {
      passing.forEach(function (e) { trygg.layers[e.cat].addLayer(e.marker); });
      return;
    }
    var zoom = map.getZoom(), bins = {};
    passing.forEach(function (e) {
      var p = map.project([e.lat, e.lon], zoom);
      var key = Math.floor(p.x / BIN_PX) + ":" + Math.floor(p.y / BIN_PX);
      var b = bins[key] || (bins[key] = { n: 0, lat: 0, lon: 0 });
      b.n += 1;
      b.lat += e.lat;
      b.lon += e.lon;
    });
    Object.keys(bins).forEach(function (key) {
      var b = bins[key];
      var bubble = L.circleMarker([b.lat / b.n, b.lon / b.n], {
        radius: Math.min(8 + 4 * Math.log10(b.n), 24), color: "#5b1a8a", weight: 2,
        fillColor: "#8e44ad", fillOpacity: 0.55
      });
      bubble.count = b.n;
      bubble.bindTooltip(number(b.n), { permanent: true, direction: "center",
                                        className: "trygg-cluster-label" });
      clusterLayer.addLayer(bubble);
    });
  }
  function apply() {
    var counts = Object.create(null);
    passing = entries.filter(passes);
    passing.forEach(function (e) {
      ["cat:" + e.cat, "src:" + e.src, "kind:" + e.kind].forEach(function (k) {
        counts[k] = (counts[k] || 0) + 1;
      });
    });
    render();
    Object.keys(countNodes).forEach(function (k) {
      countNodes[k].textContent = "(" + number(counts[k] || 0) + ")";
    });
    shownNode.textContent = showing(passing.length, entries.length) +
      (state.area ? " — " + fill(T.in_hotspot, "name", areaNames[state.area] || state.area)
                  : "");
    printKey();
    trygg.shown = passing.length;
    writeHash();
  }
  map.on("zoomend", function () { if (passing.length > data.cluster_min) { render(); } });

  // -- legend for analysis overlays, banners ------------------------------------
  var legendSections = [];  // [section, overlay name]
  var withLegend = (data.overlays || []).filter(function (o) { return o.legend.length; });
  if ((data.background || []).length) {
    withLegend = withLegend.concat([{ name: T.background, legend: (data.background || [])
      .map(function (b) { return [b.name, b.label || b.name, b.style]; }) }]);
  }
  if (withLegend.length) {
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = node("div", "trygg-legend");
      withLegend.forEach(function (o) {
        var section = node("section");  // hidden while its layer is off (ui.js, print)
        if (has(trygg.overlays, o.name)) { legendSections.push([section, o.name]); }
        box.appendChild(section);
        section.appendChild(node("h2", null, o.name));
        var classes = node("ul");
        o.legend.forEach(function (entry) {
          var item = node("li");
          var swatch = node("span", "trygg-swatch");
          if (entry[2] && typeof entry[2] === "object") {
            swatch = TryggReadable.swatch(entry[2]);
          } else if (entry[2] === "outline") {
            swatch.className = "trygg-swatch trygg-outline";
          } else {
            swatch.style.background = entry[2];
          }
          item.appendChild(swatch);
          item.appendChild(document.createTextNode(entry[1]));
          classes.appendChild(item);
        });
        section.appendChild(classes);
      });
      UI.collapsible(box, T.legend_toggle, true);
      return box;
    };
    legend.addTo(map);
  }
  function showLegendSections() {
    legendSections.forEach(function (pair) {
      pair[0].classList.toggle("trygg-off", !map.hasLayer(trygg.overlays[pair[1]]));
    });
    UI.layout();
  }
  map.on("overlayadd overlayremove", showLegendSections);

  // The key of the categories on paper (on screen the filter panel is the key): the
  // categories shown, with their symbols.
  var keyList = null;
  if (data.categories.length) {
    var key = L.control({ position: "bottomright" });
    key.onAdd = function () {
      var box = node("div", "trygg-print-key trygg-print-only");
      box.appendChild(node("h2", null, T.key));
      keyList = box.appendChild(node("ul"));
      return box;
    };
    key.addTo(map);
  }
  function printKey() {
    if (!keyList) { return; }
    keyList.textContent = "";
    data.categories.forEach(function (cat) {
      if (state.cat.indexOf(cat.code) < 0) { return; }
      var item = node("li");
      item.appendChild(dot(cat.colour, cat.icon));
      item.appendChild(document.createTextNode(cat.label));
      keyList.appendChild(item);
    });
  }
  UI.about("bottomleft", T.about, data.about || []);
  var spans = [];
  if (data.synthetic) { spans.push(["trygg-synthetic", T.synthetic]); }
  if (data.intern) { spans.push(["trygg-intern", T.intern]); }
  UI.banner(spans, T.banners);

  function syncInputs() {  // show the state (e.g. read from the hash) in the panel
    document.querySelectorAll(".trygg-filter input[type=checkbox]").forEach(function (i) {
      i.checked = state[i.name].indexOf(i.value) >= 0;
    });
    document.querySelectorAll(".trygg-filter input[type=date]").forEach(function (i) {
      i.value = state[i.name];
    });
    document.querySelectorAll(".trygg-filter select").forEach(function (s) {
      s.value = String(state[s.name]);
    });
  }
  function fromHash() {
    var v = null;
    try { v = readHash(); } catch (e) { v = null; }  // a link never stops the map
    if (v) {
      try { map.setView(v.centre, v.zoom, { animate: false }); } catch (e) { v = null; }
    }
    syncInputs();
    apply();
  }
  fromHash();
  showLegendSections();
  map.on("moveend", writeHash);
  window.addEventListener("hashchange", fromHash);
  trygg.apply = apply;
  trygg.state = function () { return JSON.parse(JSON.stringify(state)); };
  TryggReadable.attach(map, trygg);  // zoom-dependent looks, no overlapping labels
  trygg.ready = true;
  document.documentElement.dataset.tryggReady = "1";
})();
