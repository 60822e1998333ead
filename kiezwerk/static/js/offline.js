/* Registers the site's service worker (data-sw on this script's tag; see templates/core/sw.js),
   which shows an offline page when a page cannot be loaded, and tells it this page's language so
   that the offline page it keeps speaks it. Not loaded on the desk's pages: the street round has
   its own worker there. Without JavaScript or service workers the site works as before. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(script.dataset.sw).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (registration.active) registration.active.postMessage({ type: "offline-page", lang: document.documentElement.lang });
  }).catch(function () { /* the site works without it */ });
})();
