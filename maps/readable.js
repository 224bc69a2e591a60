// Readability of a Trygghetskartan map at every zoom (used by reports.js and publik.js):
// background layers in the style of their kind (streets with a casing, hatched plans),
// report markers small and faded when zoomed out and full with their symbol from
// FULL_ZOOM, analysis fills that thin out to outlines at street level, and street, place
// and town names (#trygg-names) shown by zoom. Labels never overlap: after every zoom or
// move a collision pass hides a label whose box overlaps one placed before it (hotspot
// ranks first, by rank, then towns, places and streets in the order of the data), and
// so does a label beneath a panel, legend or banner.
// Names are data: they reach the page only through textContent.
(function () {
  "use strict";
  var R = window.TryggReadable = {};
  //: From this zoom report markers are drawn full size with their symbol (reports.js
  //: draws the symbol from zoom 14 too).
  var FULL_ZOOM = 14;
  var PAD = 2;  // pixels kept free around a label

  function node(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function copy(obj) {
    var out = {};
    Object.keys(obj || {}).forEach(function (k) { out[k] = obj[k]; });
    return out;
  }

  // -- how things look at a zoom -------------------------------------------------
  // Line widths of the background (given for zoom 15) scale with the zoom.
  function widthFactor(z) {
    return z <= 11 ? 0.35 : z <= 12 ? 0.5 : z <= 13 ? 0.65 : z <= 14 ? 0.8 :
      z <= 15 ? 1 : z <= 16 ? 1.3 : z <= 17 ? 1.7 : 2.2;
  }
  // Report markers: [radius, stroke weight, fill opacity, stroke opacity].
  function markerLook(z) {
    if (z >= FULL_ZOOM) { return [6, 1, 0.85, 1]; }
    if (z >= FULL_ZOOM - 1) { return [4, 0.5, 0.7, 0.6]; }
    if (z >= FULL_ZOOM - 2) { return [2.5, 0, 0.6, 0]; }
    return [1.8, 0, 0.5, 0];
  }
  // Analysis fills: share of their own opacity kept, and whether outlined.
  function fillLook(z) {
    if (z <= 13) { return [1, false]; }
    if (z <= 14) { return [0.75, false]; }
    if (z <= 16) { return [0.45, true]; }
    return [0.15, true];
  }
  function imageOpacity(z) { return z <= 14 ? 0.75 : z <= 16 ? 0.55 : 0.4; }

  // -- background layers ---------------------------------------------------------
  var backgrounds = [];  // [layer group, base style, casing style or null]
  var hatches = Object.create(null);
  function hatch(colour) {  // a canvas pattern of thin diagonal lines
    if (hatches[colour]) { return hatches[colour]; }
    var c = document.createElement("canvas");
    c.width = c.height = 8;
    var ctx = c.getContext("2d");
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, 8);
    ctx.lineTo(8, 0);
    ctx.moveTo(-2, 2);
    ctx.lineTo(2, -2);
    ctx.moveTo(6, 10);
    ctx.lineTo(10, 6);
    ctx.stroke();
    hatches[colour] = ctx.createPattern(c, "repeat");
    return hatches[colour];
  }
  function pathStyle(style, factor) {
    var s = copy(style);
    delete s.casing;
    delete s.hatch;
    if (style.hatch) { s.fillColor = hatch(style.fillColor || style.color); }
    if (typeof s.weight === "number") { s.weight = s.weight * factor; }
    return s;
  }
  // One background layer (as maps/page.py describes it), with a casing beneath streets.
  R.background = function (b, map) {
    var style = b.style || {}, factor = widthFactor(map ? map.getZoom() : 15);
    // The casing first: a layer group adds its layers in the order they were made.
    var casing = style.casing ? L.geoJSON(b.geojson, {
      style: function () { return pathStyle(style.casing, factor); }, interactive: false
    }) : null;
    var line = L.geoJSON(b.geojson, { style: function () { return pathStyle(style, factor); },
                                      interactive: false });
    var group = L.layerGroup(casing ? [casing, line] : [line]);
    backgrounds.push({ line: line, casing: casing, style: style });
    return group;
  };
  function restyleBackgrounds(z) {
    var factor = widthFactor(z);
    backgrounds.forEach(function (b) {
      b.line.setStyle(pathStyle(b.style, factor));
      if (b.casing) { b.casing.setStyle(pathStyle(b.style.casing, factor)); }
    });
  }
  // A legend swatch drawn like the layer: a line with its casing, a dashed boundary,
  // a filled or hatched area.
  R.swatch = function (style) {
    var s = node("span", "trygg-swatch trygg-bg-swatch");
    style = style || {};
    if (style.casing) {
      s.className += " trygg-bg-line";
      s.style.background = style.color;
      s.style.borderColor = style.casing.color;
    } else if (style.fill === false || style.dashArray) {
      s.className += " trygg-bg-outline";
      s.style.borderColor = style.color;
      s.style.borderStyle = style.dashArray ? "dashed" : "solid";
      if (style.hatch) {
        s.style.backgroundImage = "repeating-linear-gradient(-45deg, " + style.color +
          " 0 1px, transparent 1px 4px)";
      }
    } else if (style.fillColor) {
      s.style.background = style.fillColor;
      s.style.border = "1px solid " + style.color;
    } else {
      s.className += " trygg-bg-line";
      s.style.background = style.color;
      s.style.borderColor = style.color;
    }
    return s;
  };

  // -- name labels -----------------------------------------------------------------
  var names = [];  // {label, marker, box (the span measured)}
  var namesLayer = null;
  // A name at a point: a text element in the names pane, kept at its point while
  // zooming. Not a marker: nothing to click, and nothing that counts as a report.
  var NameLabel = L.Layer.extend({
    options: { pane: "tryggNames", interactive: false },
    initialize: function (latlng, element) {
      this._latlng = L.latLng(latlng);
      this._el = element;
    },
    onAdd: function () {
      L.DomUtil.addClass(this._el, this._zoomAnimated ? "leaflet-zoom-animated"
                                                      : "leaflet-zoom-hide");
      this.getPane().appendChild(this._el);
      this._update();
    },
    onRemove: function () { L.DomUtil.remove(this._el); },
    getEvents: function () {
      var events = { zoom: this._update, viewreset: this._update };
      if (this._zoomAnimated) { events.zoomanim = this._animateZoom; }
      return events;
    },
    _update: function () {
      L.DomUtil.setPosition(this._el, this._map.latLngToLayerPoint(this._latlng).round());
    },
    _animateZoom: function (e) {
      L.DomUtil.setPosition(this._el, this._map._latLngToNewLayerPoint(
        this._latlng, e.zoom, e.center).round());
    }
  });
  R.names = function (map) {
    var el = document.getElementById("trygg-names");
    if (!el) { return null; }
    var data = JSON.parse(el.textContent);
    if (!data.labels || !data.labels.length) { return null; }
    var pane = map.createPane("tryggNames");
    pane.style.zIndex = 450;  // above the canvas of reports and fills, below tooltips
    pane.style.pointerEvents = "none";
    namesLayer = L.layerGroup();
    namesLayer.label = data.label;
    data.labels.forEach(function (label) {
      var box = node("span", "trygg-name-text", label.text);
      if (label.angle) { box.style.transform = "translate(-50%, -50%) rotate(" +
                                                Number(label.angle) + "deg)"; }
      var wrap = node("div", "trygg-name trygg-name-" + label.kind);
      wrap.appendChild(box);
      names.push({ label: label, marker: new NameLabel([label.lat, label.lon], wrap),
                   box: box });
    });
    return namesLayer;
  };
  function showNamesForZoom(z) {
    names.forEach(function (n) {
      var wanted = z >= n.label.min && z <= n.label.max;
      if (wanted !== namesLayer.hasLayer(n.marker)) {
        if (wanted) { namesLayer.addLayer(n.marker); } else { namesLayer.removeLayer(n.marker); }
      }
    });
  }

  // -- the collision pass ------------------------------------------------------------
  function overlaps(a, b) {
    return a.left < b.right + PAD && b.left < a.right + PAD &&
      a.top < b.bottom + PAD && b.top < a.bottom + PAD;
  }
  function declutter(map) {
    var container = map.getContainer(), view = container.getBoundingClientRect();
    var candidates = [];
    container.querySelectorAll(".leaflet-tooltip.trygg-rank").forEach(function (t) {
      candidates.push({ el: t, order: parseInt(t.textContent, 10) || 1e6 });
    });
    candidates.sort(function (a, b) { return a.order - b.order; });
    if (namesLayer && map.hasLayer(namesLayer)) {
      names.forEach(function (n) {
        if (namesLayer.hasLayer(n.marker)) { candidates.push({ el: n.box, name: n }); }
      });
    }
    var rects = candidates.map(function (c) { return c.el.getBoundingClientRect(); });
    // Panels, legends and banners cover the map: a label beneath one gives way too.
    var placed = [].slice.call(container.querySelectorAll(
      ".leaflet-control, .trygg-banner > *")).map(function (e) {
        return e.getBoundingClientRect();
      }).filter(function (r) { return r.width > 0 && r.height > 0; });
    var covered = placed.length;
    candidates.forEach(function (c, i) {
      var r = rects[i], shift = c.name ? c.name.shift || 0 : 0;
      var onScreen = r.right > view.left && r.left < view.right && r.bottom > view.top &&
        r.top < view.bottom && r.width > 0;
      // A town or place name may move above or below its point when the point is taken.
      var shifts = c.name && !c.name.label.angle ? [0, -(r.height + 2), r.height + 2] : [0];
      var chosen = null;
      for (var k = 0; k < shifts.length && chosen === null; k += 1) {
        var moved = { left: r.left, right: r.right, top: r.top - shift + shifts[k],
                      bottom: r.bottom - shift + shifts[k] };
        if (!onScreen || !placed.some(function (p) { return overlaps(p, moved); })) {
          chosen = shifts[k];
          if (onScreen) { placed.push(moved); }
        }
      }
      if (c.name) { placeName(c.name, chosen === null ? shift : chosen); }
      c.el.style.visibility = chosen !== null ? "" : "hidden";
      c.el.classList.toggle("trygg-hidden-label", chosen === null);
    });
    return placed.length - covered;
  }
  function placeName(n, shift) {
    if ((n.shift || 0) === shift) { return; }
    n.shift = shift;
    n.box.style.transform = "translate(-50%, calc(-50% + " + shift + "px))" +
      (n.label.angle ? " rotate(" + Number(n.label.angle) + "deg)" : "");
  }

  // -- zoom-dependent styles of markers and fills --------------------------------------
  var lastMarkerLook = null;
  function restyleMarkers(trygg, z) {
    var look = markerLook(z), key = look.join(",");
    if (!trygg.markers || key === lastMarkerLook) { return; }
    lastMarkerLook = key;
    var style = { weight: look[1], fillOpacity: look[2], opacity: look[3],
                  stroke: look[1] > 0 };
    Object.keys(trygg.markers).forEach(function (id) {
      var m = trygg.markers[id];
      m.setRadius(look[0]);
      m.setStyle(style);
    });
  }
  function fillLayers(trygg) {  // GeoJSON layers of classes (Gi*, change, counts, cells)
    var found = [];
    [trygg.overlays || {}, trygg.layers || {}].forEach(function (group) {
      Object.keys(group).forEach(function (name) {
        var layer = group[name];
        if (layer instanceof L.ImageOverlay) { found.push(layer); return; }
        if (!(layer instanceof L.GeoJSON) || layer.tryggOwnStyle) { return; }
        var first = layer.getLayers()[0];
        var props = first && first.feature && first.feature.properties;
        if (props && props.klass !== undefined && !props.hotspot_id) { found.push(layer); }
      });
    });
    return found;
  }
  function restyleFills(trygg, z) {
    var look = fillLook(z);
    fillLayers(trygg).forEach(function (layer) {
      if (layer instanceof L.ImageOverlay) { layer.setOpacity(imageOpacity(z)); return; }
      layer.eachLayer(function (l) {
        if (!l.tryggBase) {
          l.tryggBase = { fillOpacity: l.options.fillOpacity, stroke: l.options.stroke,
                          color: l.options.color, weight: l.options.weight,
                          opacity: l.options.opacity };
        }
        var b = l.tryggBase;
        l.setStyle(look[1]
          ? { fillOpacity: b.fillOpacity * look[0], stroke: true, color: l.options.fillColor,
              weight: z >= 17 ? 2 : 1.5, opacity: 0.6 }
          : { fillOpacity: b.fillOpacity * look[0], stroke: b.stroke, color: b.color,
              weight: b.weight, opacity: b.opacity });
      });
    });
  }

  // Hooks the zoom-dependent looks and the collision pass onto ``map``; ``trygg`` is the
  // page's window.trygg (markers, overlays, layers). Exposes trygg.declutter().
  R.attach = function (map, trygg) {
    var pending = false;
    function pass() {
      pending = false;
      trygg.visibleLabels = declutter(map);
      trygg.declutterPasses = (trygg.declutterPasses || 0) + 1;
    }
    function later() {
      if (pending) { return; }
      pending = true;
      (window.requestAnimationFrame || setTimeout)(pass);
    }
    function zoomed() {
      var z = map.getZoom();
      restyleMarkers(trygg, z);
      restyleFills(trygg, z);
      restyleBackgrounds(z);
      if (namesLayer) { showNamesForZoom(z); }
      later();
    }
    map.on("zoomend", zoomed);
    map.on("moveend resize overlayadd overlayremove", later);
    trygg.declutter = function () { pass(); return trygg.visibleLabels; };
    zoomed();
    pass();
  };
})();
