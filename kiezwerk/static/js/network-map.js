/* The network map: organisations with a position as pins linking to their page. Text only via textContent. */
(function () {
  "use strict";
  var element = document.getElementById("network-map");
  if (!element || !window.L || !window.KiezwerkMap) { return; }
  var hint = document.querySelector("[data-no-js-hint]");
  if (hint) { hint.hidden = true; }
  var created = KiezwerkMap.create(element, KiezwerkMap.readConfig());
  var map = created.map;
  var points = JSON.parse(document.getElementById("network-points").textContent);
  var url = element.dataset.organisationUrl;
  var bounds = created.boundary.getBounds();
  points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lon], {
      icon: KiezwerkMap.pinIcon("kw-pin--org"),
      title: point.name, alt: point.name, keyboard: true
    });
    var link = document.createElement("a");
    link.href = url.replace("/0/", "/" + point.id + "/");
    link.textContent = point.name;
    var box = document.createElement("div");
    box.appendChild(link);
    if (point.address) {
      var address = document.createElement("div");
      address.textContent = point.address;
      box.appendChild(address);
    }
    marker.bindPopup(box);
    marker.addTo(map);
    bounds.extend([point.lat, point.lon]);
  });
  KiezwerkMap.fit(map, bounds, true);
})();
