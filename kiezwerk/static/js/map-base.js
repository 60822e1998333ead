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

  // A marker is at most this wide (a cluster: 40 px) and keeps this gap to the zoom buttons (WCAG 2.5.8).
  var MARKER_PX = 40, GAP_PX = 4;

  function rtl() {
    return document.documentElement.dir === "rtl";
  }

  // The view of `bounds`. A map with markers leaves the zoom buttons' strip out, so that no marker of
  // this view lies under them.
  function fit(map, bounds, markers) {
    var buttons = map.getContainer().querySelector(".leaflet-control-zoom");
    if (!markers || !buttons) { map.fitBounds(bounds, { padding: [8, 8] }); return; }
    var button = buttons.getBoundingClientRect(), box = map.getContainer().getBoundingClientRect();
    var aside = Math.round(rtl() ? box.right - button.left : button.right - box.left) + MARKER_PX / 2 + GAP_PX;
    map.fitBounds(bounds, { paddingTopLeft: [rtl() ? 8 : aside, 8], paddingBottomRight: [rtl() ? aside : 8, 8] });
  }

  // options.markers: the map shows markers (see fit).
  function create(element, config, options) {
    var map = L.map(element, { keyboard: true, zoomSnap: 0.25, maxZoom: 19, zoomControl: false });
    // The zoom buttons in the page's language, on the side a reader starts from (right in Arabic).
    L.control.zoom({ position: rtl() ? "topright" : "topleft", zoomInTitle: config.zoom_in, zoomOutTitle: config.zoom_out }).addTo(map);
    var boundary = L.geoJSON(config.boundary, {
      interactive: false,
      style: { className: "kw-boundary", weight: 3, fillOpacity: 0.04 }
    });
    // The view first: vector layers need it to be drawn.
    fit(map, boundary.getBounds(), options && options.markers);
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

  // A pin: a 28 px square target with the drop drawn in it (kiezwerk.css), its tip at the bottom.
  function pinIcon(className) {
    return L.divIcon({ className: "kw-pin " + className, iconSize: [28, 28], iconAnchor: [14, 28], popupAnchor: [0, -26] });
  }

  // The pin's colour comes from the same status class as the legend's swatches and the badges.
  function pin(status) {
    return pinIcon("status--" + status);
  }

  window.KiezwerkMap = { readConfig: readConfig, create: create, fit: fit, pin: pin, pinIcon: pinIcon, MARKER_PX: MARKER_PX, GAP_PX: GAP_PX };
})();
