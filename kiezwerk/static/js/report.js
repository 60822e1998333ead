/* The report form's place picker: tap the map, drag the pin or use the device's location. Without
   JavaScript the picker is not shown (kiezwerk.css) and the street fields do the job; when the map
   cannot be loaded, it is hidden. */
(function () {
  "use strict";
  var form = document.querySelector(".report-form");
  var picker = document.querySelector(".map-picker");
  if (!form || !picker) { return; }
  if (!window.L) { picker.hidden = true; return; }
  var input = form.querySelector("input[name=location]");
  var category = form.querySelector("select[name=category]");
  var status = document.getElementById("location-status");
  var nearby = document.getElementById("nearby");
  var created = KiezwerkMap.create(document.getElementById("map"), KiezwerkMap.readConfig());
  var map = created.map;
  var marker = null;

  function say(text) { status.textContent = text; }

  function setPlace(latlng, message) {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, icon: KiezwerkMap.pin("pick"), title: picker.dataset.pinTitle || "" }).addTo(map);
      marker.on("dragend", function () { setPlace(marker.getLatLng(), picker.dataset.moved); });
    } else {
      marker.setLatLng(latlng);
    }
    input.value = latlng.lat.toFixed(6) + "," + latlng.lng.toFixed(6);
    say(message || picker.dataset.placed);
    checkNearby();
  }

  function checkNearby() {
    if (!input.value || !category.value) { nearby.innerHTML = ""; return; }
    var url = form.dataset.nearbyUrl + "?location=" + encodeURIComponent(input.value) + "&category=" + encodeURIComponent(category.value);
    fetch(url, { headers: { "HX-Request": "true" } })
      .then(function (response) { return response.text(); })
      .then(function (html) { nearby.innerHTML = html; });
  }

  map.on("click", function (event) { setPlace(event.latlng); });
  // Keyboard: Enter on the focused map places the pin at the map's centre.
  map.getContainer().addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target === map.getContainer()) { event.preventDefault(); setPlace(map.getCenter()); }
  });
  category.addEventListener("change", checkNearby);

  document.getElementById("locate-me").addEventListener("click", function () {
    if (!navigator.geolocation) { say(picker.dataset.noGeo); return; }
    say(picker.dataset.locating);
    navigator.geolocation.getCurrentPosition(function (position) {
      var latlng = L.latLng(position.coords.latitude, position.coords.longitude);
      map.setView(latlng, 17);
      setPlace(latlng);
    }, function () { say(picker.dataset.noGeo); }, { enableHighAccuracy: true, timeout: 15000 });
  });

  if (input.value) {
    var parts = input.value.split(",").map(Number);
    if (parts.length === 2 && !isNaN(parts[0]) && !isNaN(parts[1])) {
      map.setView(parts, 17);
      setPlace(L.latLng(parts[0], parts[1]));
    }
  }
})();
