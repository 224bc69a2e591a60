// Builds a printable document from the JSON in #trygg-doc (see maps/document.py).
// Every text goes in with textContent and every drawing is SVG made with
// createElementNS: nothing from the data is ever parsed as markup.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var doc = JSON.parse(document.getElementById("trygg-doc").textContent);
  var root = document.getElementById("trygg-document");
  var en = doc.lang === "en";

  function el(tag, cls, text, parent) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (parent) parent.appendChild(e);
    return e;
  }
  function svg(tag, attrs, parent) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function caption(text, parent) {
    if (text) el("p", "trygg-caption", text, parent);
  }

  function table(spec, parent) {
    var wrap = el("figure", "trygg-table", null, parent);
    var t = el("table", null, null, wrap);
    var align = spec.align || "";
    var head = el("tr", null, null, el("thead", null, null, t));
    (spec.columns || []).forEach(function (c, i) {
      el("th", align[i] === "r" ? "r" : "", c, head);
    });
    var body = el("tbody", null, null, t);
    (spec.rows || []).forEach(function (row) {
      var tr = el("tr", null, null, body);
      row.forEach(function (v, i) { el("td", align[i] === "r" ? "r" : "", v, tr); });
    });
    caption(spec.caption, wrap);
  }

  function bars(spec, parent) {
    var wrap = el("figure", "trygg-chart", null, parent);
    var labels = spec.labels || [], values = spec.values || [], texts = spec.texts || values;
    var max = Math.max.apply(null, values.concat([0])) || 1;
    var row = 18, width = 640, left = 230, right = 60;
    var s = svg("svg", {viewBox: "0 0 " + width + " " + (labels.length * row + 4),
                        width: "100%", role: "img"}, wrap);
    labels.forEach(function (label, i) {
      var y = i * row + 2;
      var t = svg("text", {x: left - 6, y: y + 12, "text-anchor": "end",
                           "class": "trygg-axis"}, s);
      t.textContent = label;
      svg("rect", {x: left, y: y + 2, height: row - 6,
                   width: Math.max(0, (width - left - right) * values[i] / max),
                   "class": "trygg-bar"}, s);
      var v = svg("text", {x: left + (width - left - right) * values[i] / max + 4,
                           y: y + 12, "class": "trygg-axis"}, s);
      v.textContent = texts[i];
    });
    caption(spec.caption, wrap);
  }

  function heat(spec, parent) {
    var wrap = el("figure", "trygg-chart", null, parent);
    var rows = spec.rows || [], cols = spec.cols || [], values = spec.values || [];
    var cell = 22, left = 40, top = 16;
    var max = 0;
    values.forEach(function (r) { r.forEach(function (v) { if (v > max) max = v; }); });
    var s = svg("svg", {viewBox: "0 0 " + (left + cols.length * cell + 2) + " " +
                        (top + rows.length * cell + 2), width: "100%", role: "img"}, wrap);
    cols.forEach(function (c, j) {
      if (j % 2) return;
      var t = svg("text", {x: left + j * cell + cell / 2, y: top - 4, "text-anchor": "middle",
                           "class": "trygg-axis"}, s);
      t.textContent = c;
    });
    rows.forEach(function (r, i) {
      var t = svg("text", {x: left - 4, y: top + i * cell + cell * 0.7, "text-anchor": "end",
                           "class": "trygg-axis"}, s);
      t.textContent = r;
      (values[i] || []).forEach(function (v, j) {
        var share = max > 0 ? v / max : 0;
        var rect = svg("rect", {x: left + j * cell, y: top + i * cell, width: cell - 1,
                                height: cell - 1, "class": "trygg-heat",
                                "fill-opacity": (0.06 + 0.94 * share).toFixed(3)}, s);
        var title = svg("title", {}, rect);
        title.textContent = r + " " + cols[j] + ": " + v;
      });
    });
    caption(spec.caption, wrap);
  }

  function niceStep(metres) {
    var p = Math.pow(10, Math.floor(Math.log10(metres)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= metres) return steps[i] * p;
    return 10 * p;
  }

  function drawGeometry(geom, parent, style, project) {
    if (!geom) return;
    var type = geom.type, c = geom.coordinates;
    function ring(r) {
      return r.map(function (p, i) {
        var q = project(p);
        return (i ? "L" : "M") + q[0].toFixed(1) + " " + q[1].toFixed(1);
      }).join("") + "Z";
    }
    function line(l) {
      return l.map(function (p, i) {
        var q = project(p);
        return (i ? "L" : "M") + q[0].toFixed(1) + " " + q[1].toFixed(1);
      }).join("");
    }
    var attrs = {fill: style.fill || "none", stroke: style.stroke || "none",
                 "stroke-width": style.weight || 1, "fill-opacity": style.fillOpacity || 1,
                 "stroke-dasharray": style.dash || ""};
    if (type === "Polygon") {
      svg("path", Object.assign({d: c.map(ring).join(""), "fill-rule": "evenodd"}, attrs),
          parent);
    } else if (type === "MultiPolygon") {
      svg("path", Object.assign({d: c.map(function (p) { return p.map(ring).join(""); })
                                    .join(""), "fill-rule": "evenodd"}, attrs), parent);
    } else if (type === "LineString") {
      svg("path", Object.assign({d: line(c)}, attrs, {fill: "none"}), parent);
    } else if (type === "MultiLineString") {
      svg("path", Object.assign({d: c.map(line).join("")}, attrs, {fill: "none"}), parent);
    } else if (type === "Point") {
      var q = project(c);
      svg("circle", Object.assign({cx: q[0].toFixed(1), cy: q[1].toFixed(1),
                                   r: style.radius || 3}, attrs), parent);
    } else if (type === "MultiPoint") {
      c.forEach(function (p) {
        drawGeometry({type: "Point", coordinates: p}, parent, style, project);
      });
    }
  }

  function map(spec, parent) {
    var wrap = el("figure", "trygg-map", null, parent);
    var b = spec.bbox, width = 640, height = Math.round(width * 0.62);
    var scale = Math.min(width / (b[2] - b[0]), height / (b[3] - b[1]));
    var ox = (width - (b[2] - b[0]) * scale) / 2, oy = (height - (b[3] - b[1]) * scale) / 2;
    function project(p) { return [ox + (p[0] - b[0]) * scale, oy + (b[3] - p[1]) * scale]; }
    var s = svg("svg", {viewBox: "0 0 " + width + " " + height, width: "100%", role: "img",
                        "class": "trygg-map-svg"}, wrap);
    svg("rect", {x: 0, y: 0, width: width, height: height, "class": "trygg-map-bg"}, s);
    (spec.layers || []).forEach(function (layer) {
      var g = svg("g", {}, s);
      ((layer.geojson || {}).features || []).forEach(function (f) {
        drawGeometry(f.geometry, g, layer.style || {}, project);
        // a point's label (e.g. its number on a route) from a property, as text
        var value = layer.text && f.properties ? f.properties[layer.text] : null;
        if (value !== null && value !== undefined && f.geometry &&
            f.geometry.type === "Point") {
          var q = project(f.geometry.coordinates);
          var t = svg("text", {x: q[0].toFixed(1), y: (q[1] + 3.5).toFixed(1),
                               "text-anchor": "middle", "class": "trygg-map-label"}, g);
          t.textContent = String(value);
        }
      });
    });
    // scale bar: a round length near a fifth of the width
    var metres = niceStep((width / 5) / scale), px = metres * scale;
    var bar = svg("g", {transform: "translate(12," + (height - 16) + ")"}, s);
    svg("rect", {x: 0, y: 0, width: px, height: 5, "class": "trygg-scale"}, bar);
    var label = svg("text", {x: px + 6, y: 6, "class": "trygg-axis"}, bar);
    label.textContent = metres >= 1000 ? (metres / 1000) + " km" : metres + " m";
    var north = svg("g", {transform: "translate(" + (width - 24) + ",16)"}, s);
    svg("path", {d: "M0 0 L7 18 L0 14 L-7 18 Z", "class": "trygg-north"}, north);
    var n = svg("text", {x: 0, y: 32, "text-anchor": "middle", "class": "trygg-axis"}, north);
    n.textContent = "N";
    var key = el("ul", "trygg-map-key", null, wrap);
    (spec.layers || []).forEach(function (layer) {
      if (!layer.label) return;
      var li = el("li", null, null, key);
      var sw = el("span", "trygg-swatch", null, li);
      var st = layer.style || {};
      sw.style.background = st.fill && st.fill !== "none" ? st.fill : "transparent";
      sw.style.borderColor = st.stroke || st.fill || "#555";
      if (st.radius) sw.style.borderRadius = "50%";
      el("span", null, layer.label, li);
    });
    caption(spec.caption, wrap);
  }

  function checklist(items, parent) {
    var ol = el("ol", "trygg-checklist", null, parent);
    items.forEach(function (item) {
      var li = el("li", null, null, ol);
      el("span", "trygg-box", null, li);
      var body = el("div", null, null, li);
      el("strong", null, item.text, body);
      if (item.help) el("p", "trygg-help", item.help, body);
      if (item.line !== false) el("div", "trygg-line", null, body);
      else li.className = "trygg-compact";
    });
  }

  function fields(labels, parent) {
    var dl = el("dl", "trygg-fields", null, parent);
    labels.forEach(function (label) {
      // a label, or {"label": …, "lines": n} for a field with room for n lines
      var big = label !== null && typeof label === "object";
      el("dt", null, big ? label.label : label, dl);
      var dd = el("dd", big && label.lines > 1 ? "trygg-lines" : null, null, dl);
      if (big && label.lines > 1) dd.style.minHeight = (7 * Math.min(label.lines, 12)) + "mm";
    });
  }

  function choices(rows, parent) {
    // rows of options to tick: [{"label": …, "options": [...]}]
    var dl = el("dl", "trygg-choices", null, parent);
    rows.forEach(function (row) {
      el("dt", null, row.label, dl);
      var dd = el("dd", null, null, dl);
      (row.options || []).forEach(function (option) {
        var span = el("span", "trygg-choice", null, dd);
        el("span", "trygg-box", null, span);
        el("span", null, option, span);
      });
    });
  }

  function boxes(spec, parent) {
    // a grid of boxes to tick: one row per item, one box per column (e.g. scores 0-3)
    var wrap = el("figure", "trygg-boxes", null, parent);
    var t = el("table", null, null, wrap);
    var head = el("tr", null, null, el("thead", null, null, t));
    el("th", null, spec.corner || "", head);
    (spec.cols || []).forEach(function (c) { el("th", "c", c, head); });
    var body = el("tbody", null, null, t);
    (spec.rows || []).forEach(function (r) {
      var tr = el("tr", null, null, body);
      el("td", null, r, tr);
      (spec.cols || []).forEach(function () {
        el("span", "trygg-box", null, el("td", "c", null, tr));
      });
    });
    caption(spec.caption, wrap);
  }

  var banners = el("div", "trygg-doc-banners", null, root);
  (doc.banners || []).forEach(function (b) {
    el("div", "trygg-doc-banner trygg-" + String(b.kind || "intern").replace(/[^a-z]/g, ""),
       b.text, banners);
  });
  el("h1", null, doc.title, root);
  if (doc.subtitle) el("p", "trygg-subtitle", doc.subtitle, root);
  var section = root;
  (doc.blocks || []).forEach(function (block) {
    if ("h" in block) {
      section = el("section", null, null, root);
      el("h2", null, block.h, section);
    } else if ("h3" in block) el("h3", null, block.h3, section);
    else if ("p" in block) el("p", null, block.p, section);
    else if ("note" in block) el("p", "trygg-note", block.note, section);
    else if ("table" in block) table(block.table, section);
    else if ("bars" in block) bars(block.bars, section);
    else if ("heat" in block) heat(block.heat, section);
    else if ("map" in block) map(block.map, section);
    else if ("checklist" in block) checklist(block.checklist, section);
    else if ("fields" in block) fields(block.fields, section);
    else if ("choices" in block) choices(block.choices, section);
    else if ("boxes" in block) boxes(block.boxes, section);
    else if ("pagebreak" in block) el("div", "trygg-pagebreak", null, section);
  });
  if (doc.footer) el("footer", null, doc.footer, root);
  document.documentElement.setAttribute("data-ready", en ? "en" : "sv");
})();
