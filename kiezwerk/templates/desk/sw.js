/* The street round's service worker (served from /desk/sw.js; see static/js/round.js).
 *
 * It keeps the street round page(s) it has seen and the static files they use, so the round
 * page opens without signal: pages network first (the cached copy only when the network
 * fails), /static/ cache first. Nothing else is stored: no POST, no other desk page. A round
 * page that answers with a redirect (logged out) or an error is dropped from the cache.
 */
"use strict";

var CACHE = "kiezwerk-round-v1";
var SCOPE = new URL(self.registration.scope).pathname;

function sameOrigin(url) { return url.origin === self.location.origin; }

function isRound(url) {
  return sameOrigin(url) && url.pathname.indexOf(SCOPE) === 0 && /^[^/]+\/round\/$/.test(url.pathname.slice(SCOPE.length));
}

function isStatic(url) { return sameOrigin(url) && url.pathname.indexOf("/static/") === 0; }

function pageKey(url) { return url.origin + url.pathname; }

function isPage(response) {
  return response.status === 200 && response.type === "basic" && !response.redirected &&
    (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

/** Store a fresh copy of a round page, or forget it when the answer is not the page. */
function keepPage(cache, url, response) {
  if (isPage(response)) return cache.put(pageKey(url), response);
  if (response.status >= 500) return Promise.resolve(); // the server is down: the old copy still helps
  return cache.delete(pageKey(url));
}

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("kiezwerk-round-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function roundPage(event) {
  var url = new URL(event.request.url);
  return caches.open(CACHE).then(function (cache) {
    function cached(fallback) {
      return cache.match(pageKey(url)).then(function (copy) { return copy || fallback || Response.error(); });
    }
    return fetch(event.request).then(function (response) {
      event.waitUntil(keepPage(cache, url, response.clone()).catch(function () {}));
      return response.status >= 500 ? cached(response) : response;
    }, function () {
      return cached(null);
    });
  });
}

function staticFile(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (copy) { return copy || fetch(request); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return; // never stored, never answered from here
  var url = new URL(request.url);
  if (request.mode === "navigate" && isRound(url)) {
    event.respondWith(roundPage(event));
  } else if (isStatic(url)) {
    event.respondWith(staticFile(request));
  }
});

/* The round page lists itself and its files after loading ({type: "keep", urls: [...]}):
   the first visit happens before this worker controls the page. Static files that no round
   page uses any more are dropped. */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  var urls = data.urls.map(function (href) { return new URL(href, self.location.href); });
  var pages = urls.filter(isRound);
  var files = urls.filter(isStatic).map(function (url) { return url.href; });
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    var work = pages.map(function (url) {
      return cache.match(pageKey(url)).then(function (copy) {
        if (copy) return null;
        return fetch(pageKey(url), { credentials: "same-origin" }).then(function (response) {
          return keepPage(cache, url, response);
        });
      });
    }).concat(files.map(function (href) {
      return fetch(href).then(function (response) {
        if (response.ok && response.type === "basic") return cache.put(href, response);
        return null;
      });
    }));
    return Promise.all(work).then(function () {
      return cache.keys();
    }).then(function (requests) {
      return Promise.all(requests.filter(function (request) {
        return isStatic(new URL(request.url)) && files.indexOf(request.url) === -1;
      }).map(function (request) { return cache.delete(request); }));
    });
  }).then(function () {
    if (event.source) event.source.postMessage({ type: "kept" });
  }).catch(function () { /* offline now: the next visit tries again */ }));
});
