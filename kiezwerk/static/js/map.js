/* The district map: public concerns from the open-data GeoJSON, clustered,
   coloured by status, each marker reachable with the Tab key. */
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.L) { return; }
  element.innerHTML = "";
  var created = KiezwerkMap.create(element, KiezwerkMap.readConfig());
  var map = created.map;
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
  map.addLayer(cluster);
  var features = [];

  function popup(feature) {
    var p = feature.properties;
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.title;
    var meta = document.createElement("p");
    meta.textContent = p.status_label + " · " + p.category + (p.supporters ? " · +" + p.supporters : "");
    box.appendChild(link);
    box.appendChild(meta);
    return box;
  }

  function matches(feature, filters) {
    var p = feature.properties;
    if (filters.status && p.status !== filters.status) { return false; }
    if (filters.category && String(p.category_id) !== filters.category && String(p.category_group_id) !== filters.category) { return false; }
    if (filters.period && Date.parse(p.created) < Date.now() - Number(filters.period) * 86400000) { return false; }
    return true;
  }

  function show(filters) {
    cluster.clearLayers();
    var shown = 0;
    features.forEach(function (feature) {
      if (!matches(feature, filters)) { return; }
      var c = feature.geometry.coordinates;
      var marker = L.marker([c[1], c[0]], {
        icon: KiezwerkMap.pin(feature.properties.status),
        title: feature.properties.title + " (" + feature.properties.status_label + ")",
        alt: feature.properties.title,
        keyboard: true
      });
      marker.bindPopup(popup(feature));
      cluster.addLayer(marker);
      shown += 1;
    });
    var status = document.getElementById("map-count");
    if (status) { status.textContent = status.dataset.template.replace("%s", shown); }
  }

  var form = document.getElementById("map-filters");
  function currentFilters() {
    if (!form) { return {}; }
    var data = new FormData(form);
    return { status: data.get("status"), category: data.get("category"), period: data.get("period") };
  }
  if (form) {
    form.addEventListener("change", function () { show(currentFilters()); });
    form.addEventListener("submit", function (event) { event.preventDefault(); show(currentFilters()); });
  }

  fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) { features = data.features; show(currentFilters()); });
})();
