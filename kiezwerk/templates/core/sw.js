/* The site's service worker (served from /sw.js, scope /; registered by static/js/offline.js).
 *
 * It keeps one thing: the offline page in the language of the last page seen. When a page cannot
 * be loaded for want of a connection, that page is shown instead of the browser's error. Every
 * other request goes to the network untouched: no page, no POST is stored. The desk's street round
 * has its own worker (/desk/sw.js, scope /desk/); the more specific scope wins there.
 */
"use strict";

var CACHE = "kiezwerk-offline-{{ release }}";
var OFFLINE = "{% url 'core:offline' %}";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("kiezwerk-offline-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.mode !== "navigate") return;
  event.respondWith(fetch(request).catch(function () {
    return caches.open(CACHE).then(function (cache) { return cache.match(OFFLINE); }).then(function (copy) {
      return copy || Response.error();
    });
  }));
});

/* Each page says its language ({type: "offline-page", lang: "de"}); the offline page is fetched
   again when the kept copy is in another language (or missing). */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "offline-page" || typeof data.lang !== "string") return;
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.match(OFFLINE).then(function (copy) {
      if (copy && copy.headers.get("Content-Language") === data.lang) return null;
      return fetch(OFFLINE, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (response.ok && response.type === "basic" && !response.redirected) return cache.put(OFFLINE, response);
        return null;
      });
    });
  }).catch(function () { /* offline now: the next page tries again */ }));
});
