// The residents' reporting page of trygg serve. Everything shown from data is set with
// textContent (never innerHTML): a place name or a message is text, not markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("trygg-data").textContent);
  var T = data.texts;
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return String(values[k]); });
  }
  function $(id) { return document.getElementById(id); }
  var chosen = null, marker = null;
  var map = L.map("map", { keyboard: true, zoomControl: true, attributionControl: false });
  map.fitBounds(data.bounds);
  var outlines = data.outlines ? L.geoJSON(data.outlines, { interactive: false,
    style: { color: "#0b4f8a", weight: 2, fill: true, fillOpacity: 0.04 } }).addTo(map)
    : null;
  // the municipality's own map files (trygg serve --background), styled as on the maps;
  // fetched apart, so the browser keeps them and the page stays small
  if (data.background_url) {
    fetch(data.background_url).then(function (r) { return r.json(); }).then(function (layers) {
      layers.forEach(function (b) { TryggReadable.background(b, map).addTo(map); });
      TryggReadable.attach(map, {});
      if (outlines) { outlines.bringToFront(); }
    });
  }
  function choose(lat, lon, label) {
    chosen = { lat: lat, lon: lon };
    if (marker) { marker.setLatLng([lat, lon]); }
    else { marker = L.circleMarker([lat, lon], { radius: 9, color: "#a4000f", weight: 3,
                                                  fillOpacity: 0.5 }).addTo(map); }
    $("chosen").textContent = (label ? label + " — " : "") +
      fill(T.chosen, { lat: lat.toFixed(5), lon: lon.toFixed(5) });
  }
  map.on("click", function (e) { choose(e.latlng.lat, e.latlng.lng, ""); });
  // keyboard: Enter on the focused map chooses its centre
  $("map").addEventListener("keydown", function (e) {
    if (e.key === "Enter") { var c = map.getCenter(); choose(c.lat, c.lng, ""); }
  });
  $("locate").addEventListener("click", function () {
    if (!navigator.geolocation) { $("chosen").textContent = T.no_position; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      choose(p.coords.latitude, p.coords.longitude, "");
      map.setView([p.coords.latitude, p.coords.longitude], 16);
    }, function () { $("chosen").textContent = T.no_position; }, { timeout: 10000 });
  });
  function search() {
    var q = $("search").value.trim();
    var list = $("hits");
    list.textContent = "";
    if (q.length < 2) { return; }
    fetch("/api/sok?q=" + encodeURIComponent(q)).then(function (r) { return r.json(); })
      .then(function (hits) {
        if (!hits.length) {
          var li = document.createElement("li"); li.textContent = T.no_hits; list.appendChild(li);
          return;
        }
        hits.forEach(function (h) {
          var li = document.createElement("li"), b = document.createElement("button");
          b.type = "button"; b.textContent = h.name;
          b.addEventListener("click", function () {
            choose(h.lat, h.lon, h.name); map.setView([h.lat, h.lon], 17);
            list.textContent = ""; $("service_code").focus();
          });
          li.appendChild(b); list.appendChild(li);
        });
      });
  }
  $("search-button").addEventListener("click", search);
  $("search").addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); search(); }
  });
  $("form").addEventListener("submit", function (e) {
    e.preventDefault();
    var result = $("result");
    result.className = "result";
    if (!chosen && !$("search").value.trim()) {
      result.className = "result error"; result.textContent = T.no_place; $("search").focus();
      return;
    }
    var file = $("media").files[0];
    if (file && file.size > data.max_photo) {
      result.className = "result error"; result.textContent = T.too_big; return;
    }
    var body = new FormData($("form"));
    if (chosen) {
      body.set("lat", String(chosen.lat)); body.set("long", String(chosen.lon));
      body.delete("address_string");
    }
    if (!file) { body.delete("media"); }
    result.textContent = T.sending;
    $("send").disabled = true;
    fetch("/open311/v2/requests.json?via=page&lang=" + data.lang, { method: "POST", body: body })
      .then(function (r) { return r.json().then(function (j) { return [r.ok, j]; }); })
      .then(function (pair) {
        $("send").disabled = false;
        if (pair[0]) {
          result.textContent = fill(T.thanks, { id: pair[1][0].service_request_id });
          $("form").reset(); chosen = null;
          if (marker) { map.removeLayer(marker); marker = null; }
          $("chosen").textContent = "";
        } else {
          result.className = "result error";
          result.textContent = fill(T.failed, { error: pair[1][0].description });
        }
      }).catch(function (err) {
        $("send").disabled = false; result.className = "result error";
        result.textContent = fill(T.failed, { error: String(err) });
      });
  });
  $("follow-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var id = $("follow-id").value.trim(), out = $("follow-result");
    if (!id) { return; }
    fetch("/open311/v2/requests/" + encodeURIComponent(id) + ".json?lang=" + data.lang)
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j || !j.length) { out.textContent = T.unknown; return; }
        out.textContent = fill(T.status, { status: j[0].status === "closed" ? T.closed : T.open,
                                           note: j[0].status_notes });
      });
  });
}());
