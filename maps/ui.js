// The furniture both maps share (loaded before reports.js and publik.js): panels that fold
// away behind a button (folded on narrow screens when the page opens), the banner strip
// above the map's controls, Swedish titles on Leaflet's own controls, a metric scale bar, a
// north arrow and a print view that fits the map into the space the controls leave free.
// Texts come from the page data (T) and reach the page only through textContent.
(function () {
  "use strict";
  var UI = window.TryggUI = {};
  // Screens on which panels start folded (phones either way round, small tablets), and
  // popups open between the folded panels.
  var NARROW = "(max-width: 800px), (max-height: 600px)";

  function node(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  UI.node = node;
  UI.narrow = function () { return window.matchMedia(NARROW).matches; };

  // A panel that folds away: `box` gets a toggle button (first child, or after `after`);
  // folded, only the button and the children marked "trygg-keep" show. Panels start
  // folded on narrow screens, and where `open` is false.
  UI.collapsible = function (box, label, open, after) {
    var button = node("button", "trygg-toggle", label);
    button.type = "button";
    function set(isOpen) {
      box.classList.toggle("trygg-closed", !isOpen);
      button.setAttribute("aria-expanded", isOpen ? "true" : "false");
      UI.layout();
    }
    panels.push(set);
    button.addEventListener("click", function (e) {
      e.preventDefault();
      set(box.classList.contains("trygg-closed"));
    });
    if (after && after.parentNode === box) {
      box.insertBefore(button, after.nextSibling);
    } else {
      box.insertBefore(button, box.firstChild);
    }
    box.classList.add("trygg-panel");
    box.classList.toggle("trygg-closed", !(open && !UI.narrow()));
    button.setAttribute("aria-expanded", box.classList.contains("trygg-closed") ? "false"
                                                                               : "true");
    if (window.L) {
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
    }
    return button;
  };

  var map = null, banner = null;
  var panels = [];  // set(open) of every folding panel
  // Popups keep clear of the banner strip above the map (Leaflet reads
  // these points, kept up to date by UI.layout, each time it pans a popup into view).
  var panTop = L.point(10, 10), panBottom = L.point(10, 10);
  UI.popupOptions = function () {
    return { maxWidth: 320, autoPanPaddingTopLeft: panTop,
             autoPanPaddingBottomRight: panBottom };
  };

  // The banner strip (audience, synthetic data) across the top of the map; the top
  // corners of the controls start below it. On narrow screens it is one line; a tap
  // shows all of it.
  UI.banner = function (spans, label) {
    banner = node("div", "trygg-banner");
    banner.setAttribute("role", "button");
    banner.setAttribute("tabindex", "0");
    banner.setAttribute("aria-expanded", "false");
    if (label) { banner.setAttribute("aria-label", label); }
    spans.forEach(function (s) { banner.appendChild(node("span", s[0], s[1])); });
    function toggle(e) {
      if (e.type === "keydown" && e.key !== "Enter" && e.key !== " ") { return; }
      e.preventDefault();
      var open = !banner.classList.contains("trygg-open");
      banner.classList.toggle("trygg-open", open);
      banner.setAttribute("aria-expanded", open ? "true" : "false");
      UI.layout();
    }
    banner.addEventListener("click", toggle);
    banner.addEventListener("keydown", toggle);
    if (window.L) { L.DomEvent.disableClickPropagation(banner); }
    map.getContainer().appendChild(banner);
    UI.layout();
    return banner;
  };

  function corner(name) { return map.getContainer().querySelector(name); }
  function visible(e) {
    var r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && window.getComputedStyle(e).display !== "none";
  }
  function extent(cornerNode) {  // the box of a corner's visible controls, page pixels
    var box = null;
    if (!cornerNode) { return null; }
    Array.prototype.forEach.call(cornerNode.children, function (c) {
      if (!visible(c)) { return; }
      var r = c.getBoundingClientRect();
      box = box ? { left: Math.min(box.left, r.left), top: Math.min(box.top, r.top),
                    right: Math.max(box.right, r.right),
                    bottom: Math.max(box.bottom, r.bottom) }
                : { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    });
    return box;
  }

  // Place the top corners below the banner and cap every panel's height so that a top
  // and a bottom panel never meet; panels scroll inside instead.
  UI.layout = function () {
    if (!map) { return; }
    var mapBox = map.getContainer().getBoundingClientRect();
    var strip = banner && visible(banner) ? banner.getBoundingClientRect().bottom - mapBox.top
                                          : 0;
    Array.prototype.forEach.call(map.getContainer().querySelectorAll(".leaflet-top"),
      function (c) { c.style.top = Math.max(0, Math.round(strip)) + "px"; });
    padPopups(mapBox, strip);
    ["left", "right"].forEach(function (side) {
      var top = corner(".leaflet-top.leaflet-" + side);
      var bottom = extent(corner(".leaflet-bottom.leaflet-" + side));
      var floor = bottom ? bottom.top - mapBox.top : mapBox.height;
      Array.prototype.forEach.call(top ? top.children : [], function (c) {
        if (!c.classList.contains("trygg-panel")) { return; }
        c.style.maxHeight = "";
        var r = c.getBoundingClientRect();
        var room = floor - (r.top - mapBox.top) - 10;
        c.style.maxHeight = Math.max(44, Math.floor(room)) + "px";
      });
    });
  };

  // Where popups may open: on narrow screens below the (folded) top panels and above
  // the bottom ones; on wide screens beside the columns of panels at the sides.
  function padPopups(mapBox, strip) {
    var ext = {};
    ["top.leaflet-left", "top.leaflet-right", "bottom.leaflet-left", "bottom.leaflet-right"]
      .forEach(function (name) { ext[name] = extent(corner(".leaflet-" + name)); });
    var top = strip, bottom = 0, left = 0, right = 0;
    if (UI.narrow()) {
      [ext["top.leaflet-left"], ext["top.leaflet-right"]].forEach(function (e) {
        if (e) { top = Math.max(top, e.bottom - mapBox.top); }
      });
      [ext["bottom.leaflet-left"], ext["bottom.leaflet-right"]].forEach(function (e) {
        if (e) { bottom = Math.max(bottom, mapBox.bottom - e.top); }
      });
      if (mapBox.height - top - bottom < 300) { top = strip; bottom = 0; }
    } else {
      var l = ext["top.leaflet-left"];
      if (l && l.bottom - l.top > mapBox.height / 2) { left = l.right - mapBox.left; }
      [ext["top.leaflet-right"], ext["bottom.leaflet-right"]].forEach(function (e) {
        if (e) { right = Math.max(right, mapBox.right - e.left); }
      });
      if (mapBox.width - left - right < 360) { right = 0; }
      if (mapBox.width - left - right < 360) { left = 0; }
    }
    // a popup taller than the room scrolls inside (karta.css reads the variable)
    map.getContainer().style.setProperty(
      "--trygg-popup-room", Math.max(200, Math.floor(mapBox.height - top - bottom - 60)) + "px");
    panTop.x = Math.round(left) + 10;
    panTop.y = Math.round(top) + 10;
    panBottom.x = Math.round(right) + 10;
    panBottom.y = Math.round(bottom) + 10;
  }

  // Leaflet's own controls in the page's language, and a metric scale (no miles, no feet).
  UI.furnish = function (leafletMap, T) {
    map = leafletMap;
    var zoomIn = map.getContainer().querySelector(".leaflet-control-zoom-in");
    var zoomOut = map.getContainer().querySelector(".leaflet-control-zoom-out");
    [[zoomIn, T.zoom_in], [zoomOut, T.zoom_out]].forEach(function (pair) {
      if (pair[0]) {
        pair[0].title = pair[1];
        pair[0].setAttribute("aria-label", pair[1]);
      }
    });
    if (map.attributionControl) { map.attributionControl.setPrefix("Leaflet"); }
    L.control.scale({ metric: true, imperial: false, maxWidth: 120 }).addTo(map);
    var north = L.control({ position: "bottomleft" });
    north.onAdd = function () {  // shown in print only (on screen the map is north up too)
      var box = node("div", "trygg-north trygg-print-only");
      box.setAttribute("role", "img");
      box.setAttribute("aria-label", T.north);
      box.appendChild(node("span", "trygg-north-arrow", "▲"));
      box.appendChild(node("span", "trygg-north-letter", T.north_letter));
      return box;
    };
    north.addTo(map);
    window.addEventListener("resize", function () { UI.layout(); });
    map.on("preclick", function () {  // a tap on the map of a phone folds the panels
      if (UI.narrow()) { panels.forEach(function (set) { set(false); }); }
    });
    printView();
  };

  // "Om kartan": a folded panel of plain paragraphs.
  UI.about = function (position, title, paragraphs) {
    var about = L.control({ position: position });
    about.onAdd = function () {
      var box = node("div", "trygg-about");  // its button is its title
      paragraphs.forEach(function (p) { box.appendChild(node("p", null, p)); });
      UI.collapsible(box, title, false);
      return box;
    };
    about.addTo(map);
    return about;
  };

  // The print view: when the page is printed (or print media is emulated) the map gets
  // the paper's size (karta.css), and the view on screen is fitted into the part of the
  // map that no title, key, legend or scale covers; afterwards the view is restored.
  function freeArea() {
    var mapBox = map.getContainer().getBoundingClientRect();
    var top = 0, bottom = 0, right = 0;
    [".leaflet-top.leaflet-left", ".leaflet-top.leaflet-right"].forEach(function (name) {
      var e = extent(corner(name));
      if (e) { top = Math.max(top, e.bottom - mapBox.top); }
    });
    if (banner && visible(banner)) {
      top = Math.max(top, banner.getBoundingClientRect().bottom - mapBox.top);
    }
    var left = extent(corner(".leaflet-bottom.leaflet-left"));
    if (left) { bottom = Math.max(bottom, mapBox.bottom - left.top); }
    var side = extent(corner(".leaflet-bottom.leaflet-right"));
    if (side) {
      if (side.bottom - side.top > mapBox.height / 4) {
        right = mapBox.right - side.left;
      } else {
        bottom = Math.max(bottom, mapBox.bottom - side.top);
      }
    }
    return { tl: [8, top + 8], br: [right + 8, bottom + 8] };
  }
  UI.freeArea = function () { return freeArea(); };
  function printView() {
    var saved = null;
    function enter() {
      if (saved) { return; }
      saved = { centre: map.getCenter(), zoom: map.getZoom(), bounds: map.getBounds(),
                snap: map.options.zoomSnap };
      if (UI.beforePrint) { UI.beforePrint(); }
      map.invalidateSize({ animate: false, pan: false });
      var pad = freeArea();
      map.options.zoomSnap = 0.1;
      map.fitBounds(saved.bounds, { paddingTopLeft: pad.tl, paddingBottomRight: pad.br,
                                    animate: false });
      map.options.zoomSnap = saved.snap;
      UI.printed = { bounds: saved.bounds, free: pad };
    }
    function leave() {
      if (!saved) { return; }
      var s = saved;
      saved = null;
      map.invalidateSize({ animate: false, pan: false });
      map.setView(s.centre, s.zoom, { animate: false });
      UI.layout();
    }
    var media = window.matchMedia("print");
    var onChange = function (e) { if (e.matches) { enter(); } else { leave(); } };
    if (media.addEventListener) { media.addEventListener("change", onChange); }
    else if (media.addListener) { media.addListener(onChange); }
    window.addEventListener("beforeprint", enter);
    window.addEventListener("afterprint", leave);
    UI.enterPrint = enter;
    UI.leavePrint = leave;
  }
})();
