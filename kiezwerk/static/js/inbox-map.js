/* The inbox's map: the listed concerns as pins linking to their workspace, and
   "only this map area", which puts the visible area into the bbox filter and sends the form. */
(function () {
  "use strict";
  var box = document.getElementById("map-box");
  var element = document.getElementById("inbox-map");
  if (!box || !element || !window.L) { return; }
  var hint = box.querySelector("[data-no-js-hint]");
  if (hint) { hint.hidden = true; }
  var created = null;

  function bboxInput() { return document.getElementById("id_bbox"); }

  function build() {
    if (created) { created.map.invalidateSize(); return; }
    created = KiezwerkMap.create(element, KiezwerkMap.readConfig(), { markers: true });
    var map = created.map;
    var points = JSON.parse(document.getElementById("inbox-points").textContent);
    var url = element.dataset.concernUrl;
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], {
        icon: KiezwerkMap.pin(point.status), title: "#" + point.id + " " + point.title, alt: point.title, keyboard: true
      });
      var link = document.createElement("a");
      link.href = url.replace("/0/", "/" + point.id + "/");
      link.textContent = "#" + point.id + " " + point.title;
      marker.bindPopup(link);
      marker.addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    var current = (bboxInput() && bboxInput().value || "").split(",").map(Number);
    if (current.length === 4 && current.every(isFinite)) {
      var area = [[current[0], current[1]], [current[2], current[3]]];
      L.rectangle(area, { interactive: false, weight: 2, fill: false, dashArray: "6 4" }).addTo(map);
      map.fitBounds(area);
    }
    var actions = box.querySelector("[data-map-actions]");
    actions.hidden = false;
    actions.querySelector("[data-bbox-apply]").addEventListener("click", function () {
      var b = map.getBounds();
      var input = bboxInput();
      input.value = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(function (n) { return n.toFixed(5); }).join(",");
      input.form.submit();
    });
  }

  if (box.open) { build(); }
  box.addEventListener("toggle", function () { if (box.open) { build(); } });
})();
