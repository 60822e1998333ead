/* Shared map setup: tiles from the configured server, plus the district's own
   boundary and streets, so the map is readable even when no tiles load. */
(function () {
  "use strict";

  function readConfig() {
    return JSON.parse(document.getElementById("map-config").textContent);
  }

  function toLatLngs(line) {
    return line.map(function (p) { return [p[1], p[0]]; });
  }

  function create(element, config) {
    var map = L.map(element, { keyboard: true, zoomSnap: 0.5, maxZoom: 19, zoomControl: false });
    // The zoom buttons in the page's language, on the side a reader starts from (right in Arabic).
    var rtl = document.documentElement.dir === "rtl";
    L.control.zoom({ position: rtl ? "topright" : "topleft", zoomInTitle: config.zoom_in, zoomOutTitle: config.zoom_out }).addTo(map);
    var boundary = L.geoJSON(config.boundary, {
      interactive: false,
      style: { className: "kw-boundary", weight: 3, fillOpacity: 0.04 }
    });
    // The view first: vector layers need it to be drawn.
    map.fitBounds(boundary.getBounds(), { padding: [8, 8] });
    L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.attribution }).addTo(map);
    boundary.addTo(map);
    var labels = L.layerGroup();
    config.streets.forEach(function (street) {
      var line = L.polyline(toLatLngs(street.line), { className: "kw-street", weight: 5, opacity: 0.8, interactive: false });
      line.addTo(map);
      var middle = street.line[Math.floor(street.line.length / 2)];
      labels.addLayer(L.tooltip({ permanent: true, direction: "center", className: "kw-street-label" })
        .setLatLng([middle[1], middle[0]]).setContent(street.name));
    });
    function toggleLabels() {
      if (map.getZoom() >= 16) { labels.addTo(map); } else { labels.remove(); }
    }
    map.on("zoomend", toggleLabels);
    toggleLabels();
    return { map: map, boundary: boundary };
  }

  // The pin's colour comes from the same status class as the legend's swatches and the badges.
  function pin(status) {
    return L.divIcon({ className: "kw-pin status--" + status, iconSize: [20, 20], iconAnchor: [10, 20], popupAnchor: [0, -18] });
  }

  window.KiezwerkMap = { readConfig: readConfig, create: create, pin: pin };
})();
