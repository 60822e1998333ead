/* The district map: the concerns of the visible area, asked of the server by bounding box and zoom.
   Few concerns come as single pins (coloured by status, each reachable with the Tab key); many come
   as counted clusters, which zoom in when chosen. */
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.L) { return; }
  element.innerHTML = "";
  var config = KiezwerkMap.readConfig();
  var created = KiezwerkMap.create(element, config, { markers: true });
  var map = created.map;
  var pins = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
  var clusters = L.layerGroup();
  map.addLayer(pins);
  map.addLayer(clusters);
  var status = document.getElementById("map-count");
  var form = document.getElementById("map-filters");
  var pending = null;

  function popup(p) {
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

  function pinMarker(feature) {
    var c = feature.geometry.coordinates, p = feature.properties;
    var marker = L.marker([c[1], c[0]], {
      icon: KiezwerkMap.pin(p.status), title: p.title + " (" + p.status_label + ")", alt: p.title, keyboard: true
    });
    return marker.bindPopup(popup(p));
  }

  // The server counts concerns per grid cell at their mean position, so two clusters can lie close together
  // on the screen. Those whose boxes would overlap are shown as one (the bigger absorbs the smaller, at their
  // weighted mean), until every cluster is a whole target of its own (WCAG 2.5.8).
  var SPACE_PX = KiezwerkMap.MARKER_PX + KiezwerkMap.GAP_PX;

  function spaced(features) {
    var groups = features.map(function (feature) {
      var c = feature.geometry.coordinates;
      return { lat: c[1], lng: c[0], count: feature.properties.count };
    });
    var merged = true;
    while (merged) {
      merged = false;
      var kept = [];
      groups.sort(function (a, b) { return b.count - a.count; }).forEach(function (group) {
        var point = map.latLngToLayerPoint([group.lat, group.lng]);
        var near = kept.filter(function (other) {
          return Math.abs(other.point.x - point.x) < SPACE_PX && Math.abs(other.point.y - point.y) < SPACE_PX;
        })[0];
        if (!near) {
          group.point = point;
          kept.push(group);
          return;
        }
        var count = near.count + group.count;
        near.lat = (near.lat * near.count + group.lat * group.count) / count;
        near.lng = (near.lng * near.count + group.lng * group.count) / count;
        near.count = count;
        near.point = map.latLngToLayerPoint([near.lat, near.lng]);
        merged = true;
      });
      groups = kept;
    }
    return groups;
  }

  function clusterMarker(group) {
    var count = group.count;
    var marker = L.marker([group.lat, group.lng], {
      icon: L.divIcon({ className: "marker-cluster kw-cluster", html: "<div><span>" + count + "</span></div>", iconSize: [40, 40] }),
      title: element.dataset.clusterTemplate.replace("%s", count), keyboard: true
    });
    // Chosen with the mouse, or with Enter when focused by the Tab key.
    marker.on("click keypress", function (event) {
      if (event.type === "keypress" && event.originalEvent.key !== "Enter") { return; }
      map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, 19));
    });
    return marker;
  }

  function show(data) {
    pins.clearLayers();
    clusters.clearLayers();
    var counted = data.features.filter(function (feature) { return feature.properties.cluster; });
    spaced(counted).forEach(function (group) { clusters.addLayer(clusterMarker(group)); });
    data.features.forEach(function (feature) {
      if (!feature.properties.cluster) { pins.addLayer(pinMarker(feature)); }
    });
    if (status) { status.textContent = status.dataset.template.replace("%s", data.total); }
  }

  function load() {
    var bounds = map.getBounds();
    var params = new URLSearchParams(form ? new FormData(form) : undefined);
    params.set("bbox", [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map(function (v) { return v.toFixed(5); }).join(","));
    params.set("zoom", Math.round(map.getZoom()));
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(element.dataset.source + "?" + params.toString(), { headers: { Accept: "application/geo+json" }, signal: pending.signal })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(show)
      .catch(function (error) { if (error.name !== "AbortError" && status) { status.textContent = status.dataset.failed; } });
  }

  // The layers other apps add (concerns.selectors.map_layer_register, e.g. the projects' actions), each drawn
  // as markers of their own shape and colour (the legend's swatch) with their areas beneath.
  function layerMarker(layer, feature) {
    var c = feature.geometry.coordinates, p = feature.properties;
    var marker = L.marker([c[1], c[0]], {
      icon: KiezwerkMap.pinIcon("kw-pin--layer kw-layer--" + layer.key),
      title: p.title + " (" + layer.label + " · " + p.status_label + ")", alt: p.title, keyboard: true
    });
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.title;
    var meta = document.createElement("p");
    meta.textContent = layer.label + " · " + p.status_label;
    box.appendChild(link);
    box.appendChild(meta);
    return marker.bindPopup(box);
  }

  // A layer with `viewport` is loaded again for the visible area after every move (as the concerns are).
  (config.layers || []).forEach(function (layer) {
    var group = L.layerGroup().addTo(map), pendingLayer = null;
    function fill() {
      var url = layer.source;
      if (layer.viewport) {
        var b = map.getBounds();
        url += "?bbox=" + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
      }
      if (pendingLayer) { pendingLayer.abort(); }
      pendingLayer = new AbortController();
      fetch(url, { headers: { Accept: "application/geo+json" }, signal: pendingLayer.signal })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
        .then(function (data) {
          group.clearLayers();
          data.features.forEach(function (feature) {
            if (feature.geometry.type !== "Point") { return; }
            var area = feature.properties.area;
            if (area && area.type === "Polygon") {
              group.addLayer(L.geoJSON(area, {
                interactive: false, style: { className: "kw-layer-area kw-layer--" + layer.key, weight: 2, fillOpacity: 0.15 }
              }));
            }
            group.addLayer(layerMarker(layer, feature));
          });
        })
        .catch(function () { /* the concerns stay; the layer's own list page is linked on the page */ });
    }
    fill();
    if (layer.viewport) { map.on("moveend", fill); }
  });

  map.on("moveend", load);
  if (form) {
    form.addEventListener("change", load);
    form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  }
  load();
})();
