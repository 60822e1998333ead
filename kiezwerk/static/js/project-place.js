/* A project's place (templates/projects/_place.html): a point or an area drawn on the map.
   "Set a point": a tap sets or moves the pin (→ location "lat,lon"). "Draw an area": each tap adds a corner,
   "Finish the area" closes the polygon (→ area as GeoJSON, its centre → location), "Remove the place" clears.
   Enter on the focused map sets the point or a corner at the map's centre. Whatever was used last counts:
   marking the map empties a typed address, typing an address removes the mark. Without JavaScript the
   picker is not shown (kiezwerk.css) and the address fields do the job; without the map it is hidden. */
(function () {
  "use strict";
  var picker = document.querySelector(".place-picker");
  if (!picker) { return; }
  if (!window.L) { picker.hidden = true; return; }
  var form = picker.closest("form");
  var location = form.querySelector("input[name=location]");
  var areaInput = form.querySelector("input[name=area]");
  var street = form.querySelector("input[name=street]");
  var houseNumber = form.querySelector("input[name=house_number]");
  var status = picker.querySelector("[role=status]");
  var finishButton = picker.querySelector("[data-place-finish]");
  var modeButtons = picker.querySelectorAll("[data-place-mode]");
  var text = picker.dataset;
  var map = KiezwerkMap.create(picker.querySelector(".map"), KiezwerkMap.readConfig()).map;

  var mode = "point";
  var pin = null;
  var corners = [];  // L.LatLng, in the order tapped
  var finished = false;
  var drawing = L.layerGroup().addTo(map);  // the corners, the line through them, the finished polygon

  function say(message) { status.textContent = message; }

  function round(value) { return Math.round(value * 1e6) / 1e6; }

  function addressUsed() {
    return (street && street.value.trim()) || (houseNumber && houseNumber.value.trim());
  }

  // The map's mark replaces a typed address (the server takes a typed address before a point).
  function forgetAddress() {
    if (!addressUsed()) { return ""; }
    street.value = "";
    if (houseNumber) { houseNumber.value = ""; }
    return " " + text.addressRemoved;
  }

  function setMode(next) {
    mode = next;
    modeButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.placeMode === mode));
    });
    finishButton.hidden = mode !== "area";
    say(mode === "area" ? text.areaMode : text.pointMode);
  }

  function clearArea() {
    corners = [];
    finished = false;
    drawing.clearLayers();
    areaInput.value = "";
  }

  function clearPin() {
    if (pin) { pin.remove(); pin = null; }
  }

  function placePin(latlng) {
    if (!pin) {
      pin = L.marker(latlng, { draggable: true, icon: KiezwerkMap.pin("pick"), title: text.pinTitle, alt: text.pinTitle }).addTo(map);
      pin.on("dragend", function () {
        location.value = round(pin.getLatLng().lat) + "," + round(pin.getLatLng().lng);
        say(text.moved + forgetAddress());
      });
    } else {
      pin.setLatLng(latlng);
    }
    location.value = round(latlng.lat) + "," + round(latlng.lng);
  }

  function setPoint(latlng) {
    clearArea();
    placePin(latlng);
    say(text.pointSet + forgetAddress());
  }

  function drawCorners() {
    drawing.clearLayers();
    if (finished) {
      drawing.addLayer(L.polygon(corners, { className: "kw-place-area", weight: 3, fillOpacity: 0.2, interactive: false }));
      return;
    }
    if (corners.length > 1) {
      drawing.addLayer(L.polyline(corners, { className: "kw-place-area", weight: 3, dashArray: "6 6", interactive: false }));
    }
    corners.forEach(function (corner) {
      drawing.addLayer(L.marker(corner, {
        icon: L.divIcon({ className: "kw-corner", iconSize: [14, 14], iconAnchor: [7, 7] }), interactive: false, keyboard: false
      }));
    });
  }

  function addCorner(latlng) {
    if (finished || !corners.length) {  // a new area replaces the point and any earlier area
      clearArea();
      clearPin();
      location.value = "";
    }
    corners.push(latlng);
    drawCorners();
    say(text.corner.replace("%s", corners.length) + forgetAddress());
  }

  function finish() {
    if (finished) { return true; }
    if (corners.length < 3) { say(text.tooFew); return false; }
    finished = true;
    var ring = corners.map(function (c) { return [round(c.lng), round(c.lat)]; });
    ring.push(ring[0]);
    areaInput.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    var lat = 0, lng = 0;
    corners.forEach(function (c) { lat += c.lat; lng += c.lng; });
    location.value = round(lat / corners.length) + "," + round(lng / corners.length);
    clearPin();
    drawCorners();
    say(text.finished.replace("%s", corners.length));
    return true;
  }

  function mark(latlng) {
    if (mode === "area") { addCorner(latlng); } else { setPoint(latlng); }
  }

  map.on("click", function (event) { mark(event.latlng); });
  map.getContainer().addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target === map.getContainer()) { event.preventDefault(); mark(map.getCenter()); }
  });
  modeButtons.forEach(function (button) {
    button.addEventListener("click", function () { setMode(button.dataset.placeMode); });
  });
  finishButton.addEventListener("click", finish);
  picker.querySelector("[data-place-clear]").addEventListener("click", function () {
    clearArea();
    clearPin();
    location.value = "";
    say(text.cleared);
  });
  // A typed address replaces the map's mark.
  [street, houseNumber].forEach(function (input) {
    if (!input) { return; }
    input.addEventListener("input", function () {
      if (!input.value.trim() || !(location.value || areaInput.value || corners.length)) { return; }
      clearArea();
      clearPin();
      location.value = "";
      say(text.markRemoved);
    });
  });
  // An area begun but not finished is finished on saving; one with fewer than three corners stops the saving.
  form.addEventListener("submit", function (event) {
    if (corners.length && !finished && !finish()) { event.preventDefault(); }
  });

  // What the form already holds: a drawn area, or a point.
  var polygon = null;
  try { polygon = areaInput.value ? JSON.parse(areaInput.value) : null; } catch (error) { polygon = null; }
  if (polygon && polygon.type === "Polygon" && polygon.coordinates && polygon.coordinates[0]) {
    corners = polygon.coordinates[0].slice(0, -1).map(function (p) { return L.latLng(p[1], p[0]); });
    finished = corners.length >= 3;
    drawCorners();
    if (finished) { map.fitBounds(L.latLngBounds(corners), { padding: [24, 24], maxZoom: 18 }); }
    mode = "area";
    modeButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.placeMode === mode));
    });
    finishButton.hidden = false;
  } else if (location.value) {
    var parts = location.value.split(",").map(Number);
    if (parts.length === 2 && !isNaN(parts[0]) && !isNaN(parts[1])) {
      map.setView(parts, 17);
      placePin(L.latLng(parts[0], parts[1]));
    }
  }
})();
