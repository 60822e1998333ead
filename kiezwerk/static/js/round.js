/* The street round and the desk's capture form.
 *
 * Every form[data-capture] gets a fresh capture key (UUID) on load and after each entry; the
 * server stores each key once, so sending the same entry again never creates a second row.
 * On the round page (#round with #pending) a submitted form goes into an IndexedDB queue
 * first and is then sent with fetch; what the network could not take stays queued and is
 * sent on load, when the browser comes back online and every 30 s. Entries the server
 * refuses (400) stay in the queue with its messages and go back into the form to be
 * corrected. Without JavaScript, or without IndexedDB, the forms post normally.
 */
(function () {
  "use strict";

  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-capture]"));
  if (!forms.length) return;

  var round = document.getElementById("round");
  var pending = document.getElementById("pending");
  var texts = (round || document.querySelector("[data-capture-messages]") || document.body).dataset;
  var queueing = !!(round && pending && window.indexedDB && window.fetch && window.FormData && window.Promise);
  var SEND_TIMEOUT = 20000;
  var RETRY_EVERY = 30000;
  var QUEUE_HEADER = "X-Capture-Queue";
  var ready = false; // the queue is open: submits are intercepted

  // Small helpers -------------------------------------------------------------------------------

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // Not a secure context (plain http on a LAN address): same format from getRandomValues.
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function input(form, name) { return form.querySelector('[name="' + name + '"]'); }

  function setValue(form, name, value) {
    var element = input(form, name);
    if (element) element.value = value;
  }

  function kindLabel(kind) {
    return texts["kind" + kind.charAt(0).toUpperCase() + kind.slice(1)] || kind;
  }

  function fieldLabel(form, name) {
    var element = input(form, name);
    var label = element && element.id && form.querySelector('label[for="' + element.id + '"]');
    if (!label && element) label = element.closest("fieldset") && element.closest("fieldset").querySelector("legend");
    return label ? label.childNodes[0].textContent.trim() : "";
  }

  function errorText(form, errors) {
    return Object.keys(errors || {}).map(function (name) {
      var label = name === "__all__" ? "" : fieldLabel(form, name);
      return (label ? label + ": " : "") + errors[name].join(" ");
    }).join(" ");
  }

  function formFor(kind) {
    for (var i = 0; i < forms.length; i++) if (forms[i].dataset.capture === kind) return forms[i];
    return null;
  }

  // Place from the device -----------------------------------------------------------------------

  function locate(form, button) {
    var status = button.parentNode.querySelector("[data-locate-status]");
    function say(text) { if (status) status.textContent = text || ""; }
    if (!navigator.geolocation) { say(texts.noGeo); return; }
    say(texts.locating);
    navigator.geolocation.getCurrentPosition(function (position) {
      setValue(form, "location", position.coords.latitude.toFixed(6) + "," + position.coords.longitude.toFixed(6));
      say(texts.located);
    }, function () {
      say(texts.noGeo);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  // Form state ----------------------------------------------------------------------------------

  function defaultIndex(select) {
    for (var i = 0; i < select.options.length; i++) if (select.options[i].defaultSelected) return i;
    return select.options.length ? 0 : -1;
  }

  /** Nothing typed into the form yet (hidden fields other than the place do not count). */
  function pristine(form) {
    if ((input(form, "location") || {}).value) return false;
    return Array.prototype.every.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") return true;
      if (el.type === "checkbox" || el.type === "radio") return el.checked === el.defaultChecked;
      if (el.type === "file") return !el.files || !el.files.length;
      if (el.tagName === "SELECT") {
        if (el.multiple) return Array.prototype.every.call(el.options, function (o) { return o.selected === o.defaultSelected; });
        return el.selectedIndex === defaultIndex(el);
      }
      return el.value === el.defaultValue;
    });
  }

  function clearErrors(form) {
    each(form.querySelectorAll("[data-queue-error]"), function (p) { p.remove(); });
    each(form.querySelectorAll("[data-queue-field-error]"), function (box) {
      box.removeAttribute("data-queue-field-error");
      box.classList.remove("field--error");
    });
    each(form.querySelectorAll("[data-queue-invalid]"), function (el) {
      el.removeAttribute("data-queue-invalid");
      el.removeAttribute("aria-invalid");
      var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id.slice(-12) !== "_queue_error";
      });
      if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
      else el.removeAttribute("aria-describedby");
    });
  }

  /** The server's messages beside the fields, as the page shows them without JavaScript. */
  function showErrors(form, errors) {
    clearErrors(form);
    var first = null;
    Object.keys(errors || {}).forEach(function (name) {
      var element = name === "__all__" ? null : input(form, name);
      var p = document.createElement("p");
      p.className = "error";
      p.setAttribute("data-queue-error", "");
      p.textContent = errors[name].join(" ");
      if (element && element.type !== "hidden") {
        p.id = (element.id || form.dataset.capture + "_" + name) + "_queue_error";
        var anchor = element.closest("label.check, ul") || element;
        anchor.parentNode.insertBefore(p, anchor);
        element.setAttribute("data-queue-invalid", "");
        var field = element.closest(".field");
        if (field && !field.classList.contains("field--error")) {
          field.classList.add("field--error");
          field.setAttribute("data-queue-field-error", "");
        }
        element.setAttribute("aria-invalid", "true");
        element.setAttribute("aria-describedby", ((element.getAttribute("aria-describedby") || "") + " " + p.id).trim());
        first = first || element;
      } else {
        var box = (element && element.closest("fieldset")) || form;
        var after = box.querySelector("legend") || box.querySelector("input[name=csrfmiddlewaretoken]");
        box.insertBefore(p, after ? after.nextSibling : box.firstChild);
      }
    });
    return first;
  }

  /** Empty the form for the next entry, with a new key. */
  function fresh(form) {
    clearErrors(form);
    form.reset();
    setValue(form, "capture_key", newKey());
    ["captured_at", "location"].forEach(function (name) { setValue(form, name, ""); });
    each(form.querySelectorAll("[data-locate-status]"), function (s) { s.textContent = ""; });
    delete form.dataset.holds;
  }

  /** Put a queued entry back into its form (same capture key), photos included. */
  function restore(form, item) {
    fresh(form);
    var values = {};
    item.entries.forEach(function (entry) { (values[entry[0]] = values[entry[0]] || []).push(entry[1]); });
    each(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit" || el.type === "button") return;
      var list = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = list.indexOf(el.value) !== -1;
      } else if (el.type === "file") {
        if (!window.DataTransfer) return;
        var transfer = new DataTransfer();
        list.forEach(function (file) { if (file instanceof File) transfer.items.add(file); });
        try { el.files = transfer.files; } catch (error) { /* the photo has to be chosen again */ }
      } else if (el.tagName === "SELECT" && el.multiple) {
        each(el.options, function (o) { o.selected = list.indexOf(o.value) !== -1; });
      } else if (list.length) {
        el.value = list[0];
      }
    });
    form.dataset.holds = item.key;
  }

  function serialise(form) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (value instanceof Blob && !value.size && !value.name) return; // an empty file input
      entries.push([name, value]);
    });
    var kind = form.dataset.capture;
    var label = "";
    if (kind === "contact") {
      var topic = input(form, "topic");
      var place = (input(form, "place") || {}).value || "";
      label = (topic && topic.value ? topic.options[topic.selectedIndex].text : "") + (place ? " · " + place : "");
    } else {
      label = ((input(form, "title") || input(form, "met") || {}).value || "");
    }
    return {
      key: input(form, "capture_key").value,
      kind: kind,
      action: form.action,
      entries: entries,
      label: label.trim(),
      createdAt: Date.now(),
      owner: owner,
      rev: newKey(),
      state: "waiting",
      errors: null
    };
  }

  // The queue (IndexedDB) -----------------------------------------------------------------------

  var dbPromise = null;
  var owner = round ? round.dataset.owner || "" : "";

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open("kiezwerk-round", 1);
        request.onupgradeneeded = function () { request.result.createObjectStore("queue", { keyPath: "key" }); };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function transaction(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("queue", mode);
        var request = work(tx.objectStore("queue"));
        tx.oncomplete = function () { resolve(request.result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  var queue = {
    put: function (item) { return transaction("readwrite", function (s) { return s.put(item); }); },
    remove: function (key) { return transaction("readwrite", function (s) { return s.delete(key); }); },
    get: function (key) { return transaction("readonly", function (s) { return s.get(key); }); },
    all: function () {
      return transaction("readonly", function (s) { return s.getAll(); }).then(function (items) {
        // Entries of another account on a shared phone stay stored, unseen and unsent, until that account is back.
        return items.filter(function (item) { return !item.owner || item.owner === owner; })
          .sort(function (a, b) { return a.createdAt - b.createdAt; });
      });
    }
  };

  // Sending -------------------------------------------------------------------------------------

  var held = {};

  /** Run work() unless this entry is being sent already (in this tab, or in another one). */
  function withLock(key, work) {
    if (held[key]) return Promise.resolve(null);
    held[key] = true;
    function run() { return Promise.resolve().then(work); }
    var running = navigator.locks && navigator.locks.request
      ? navigator.locks.request("kiezwerk-capture-" + key, { ifAvailable: true }, function (lock) { return lock ? run() : null; })
      : run();
    return running.then(function (result) {
      delete held[key];
      return result;
    }, function (error) {
      delete held[key];
      throw error;
    });
  }

  function csrfToken() {
    // The cookie's secret is valid even when the page (perhaps a cached copy) carries an older token.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function body(item) {
    var data = new FormData();
    item.entries.forEach(function (entry) {
      var name = entry[0];
      var value = entry[1];
      if (name === "csrfmiddlewaretoken") value = csrfToken() || value;
      if (value instanceof Blob) data.append(name, value, value.name || "photo.jpg");
      else data.append(name, value);
    });
    return data;
  }

  var loginNeeded = false;

  /** One attempt: {outcome: "sent" | "refused" (with errors) | "kept"}. Never rejects. */
  function send(item) {
    if (navigator.onLine === false) return Promise.resolve({ outcome: "kept" });
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, SEND_TIMEOUT) : null;
    var headers = { Accept: "application/json" };
    headers[QUEUE_HEADER] = "1";
    if (item.owner) headers["X-Capture-Owner"] = item.owner;
    return fetch(item.action, {
      method: "POST",
      body: body(item),
      headers: headers,
      credentials: "same-origin",
      redirect: "manual", // a redirect (to the login page) is not an answer: keep the entry
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        loginNeeded = false;
        return response.json().then(function (data) {
          return data && "created" in data ? { outcome: "sent" } : { outcome: "kept" };
        });
      }
      if (response.status === 400) {
        return response.json().then(function (data) {
          return data && data.errors ? { outcome: "refused", errors: data.errors } : { outcome: "kept" };
        });
      }
      // Sent to the login page (the session ended) or refused as not allowed: keep it for the right login.
      loginNeeded = response.type === "opaqueredirect" || response.status === 403;
      return { outcome: "kept", login: loginNeeded };
    }).catch(function () {
      return { outcome: "kept" }; // offline, timeout, unreadable answer: the same key is sent again later
    }).then(function (result) {
      if (timer) clearTimeout(timer);
      return result;
    });
  }

  /** Send one queued entry under its lock; null when it is gone or busy. */
  function deliver(key) {
    return withLock(key, function () {
      return queue.get(key).then(function (item) {
        if (!item || item.state !== "waiting") return null;
        return send(item).then(function (result) {
          if (result.outcome === "kept") return result;
          return queue.get(key).then(function (current) {
            if (!current || current.rev !== item.rev) return result; // changed meanwhile: leave it
            if (result.outcome === "sent") return queue.remove(key).then(function () { return result; });
            current.state = "refused";
            current.errors = result.errors;
            return queue.put(current).then(function () { return result; });
          });
        });
      });
    });
  }

  var flushing = null;

  function flush() {
    if (!ready) return Promise.resolve();
    if (flushing) return flushing;
    flushing = queue.all().then(function (items) {
      var stop = false;
      return items.filter(function (item) { return item.state === "waiting"; }).reduce(function (chain, item) {
        return chain.then(function () {
          if (stop) return null;
          return deliver(item.key).then(function (result) {
            if (result && result.outcome === "kept") stop = true; // still no network: try later
          });
        });
      }, Promise.resolve());
    }).catch(function () { /* the queue stays as it is */ }).then(function () {
      flushing = null;
      return refresh();
    });
    return flushing;
  }

  // The pending list ----------------------------------------------------------------------------

  var timer = null;

  function schedule(on) {
    if (on && !timer) timer = setInterval(flush, RETRY_EVERY);
    if (!on && timer) { clearInterval(timer); timer = null; }
  }

  function when(item) {
    var lang = document.documentElement.lang || undefined;
    try {
      return new Date(item.createdAt).toLocaleString(lang, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
    } catch (error) {
      return new Date(item.createdAt).toLocaleString();
    }
  }

  function render(items) {
    var list = pending.querySelector("[data-pending-list]");
    var status = pending.querySelector("[data-pending-status]");
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "pending-item" + (item.state === "refused" ? " pending-item--error" : "");
      li.setAttribute("data-key", item.key);
      var head = document.createElement("p");
      var kind = document.createElement("a");
      kind.href = "#capture-" + item.kind;
      kind.textContent = kindLabel(item.kind);
      head.appendChild(kind);
      head.appendChild(document.createTextNode(" · " + when(item) + (item.label ? " · " + item.label : "")));
      li.appendChild(head);
      if (item.state === "refused") {
        var form = formFor(item.kind);
        var error = document.createElement("p");
        error.className = "error";
        error.textContent = texts.refused + " " + (form ? errorText(form, item.errors) : "");
        li.appendChild(error);
        var erase = document.createElement("button");
        erase.type = "button";
        erase.className = "button button--small button--secondary";
        erase.setAttribute("data-erase", item.key);
        erase.textContent = texts.erase || "×";
        li.appendChild(erase);
      }
      list.appendChild(li);
    });
    var waiting = items.filter(function (item) { return item.state === "waiting"; }).length;
    var text = waiting === 0 ? "" : waiting === 1 ? texts.pendingOne
      : texts.pendingMany.replace(/%?%\(count\)s/, String(waiting));
    if (waiting && loginNeeded) text += " " + texts.login;
    if (status.textContent !== text) status.textContent = text;
    pending.hidden = items.length === 0;
    schedule(waiting > 0);
  }

  /** Refused entries go back into their form when that form is empty, so nothing typed is lost. */
  function restoreRefused(items) {
    items.forEach(function (item) {
      var form = formFor(item.kind);
      if (item.state !== "refused" || !form || form.dataset.busy) return;
      if (form.dataset.holds || !pristine(form)) return; // busy with another entry
      restore(form, item);
      showErrors(form, item.errors);
    });
  }

  function refresh() {
    return queue.all().then(function (items) {
      render(items);
      restoreRefused(items);
    }).catch(function () { /* nothing to show */ });
  }

  // Submitting ----------------------------------------------------------------------------------

  function tell(form, text, error) {
    var status = statusOf(form);
    status.textContent = text;
    status.classList.toggle("send-status--error", !!error);
  }

  function statusOf(form) {
    var status = form.querySelector("[data-send-status]");
    if (!status) {
      status = document.createElement("p");
      status.className = "send-status";
      status.setAttribute("role", "status");
      status.setAttribute("data-send-status", "");
      form.appendChild(status);
    }
    return status;
  }

  function stamp(form) {
    if (!input(form, "capture_key").value) setValue(form, "capture_key", newKey());
    var at = input(form, "captured_at");
    if (at && !at.value) at.value = new Date().toISOString();
  }

  function onSubmit(event) {
    var form = event.currentTarget;
    stamp(form);
    if (!queueing || !ready) return; // a normal POST
    event.preventDefault();
    if (form.dataset.busy) return; // a double tap
    form.dataset.busy = "1";
    form.setAttribute("aria-busy", "true");
    tell(form, "");
    clearErrors(form);
    var item = serialise(form);
    queue.put(item).then(function () {
      return deliver(item.key).then(function (result) {
        if (result && result.outcome === "sent") {
          loginNeeded = false;
          fresh(form);
          tell(form, texts.sent);
        } else if (result && result.outcome === "refused") {
          form.dataset.holds = item.key;
          var first = showErrors(form, result.errors);
          tell(form, texts.refused + " " + errorText(form, result.errors), true);
          if (first) first.focus();
        } else {
          fresh(form);
          tell(form, result && result.login ? texts.login : texts.savedOffline);
        }
      });
    }, function () {
      // No room in the queue (storage blocked or full): post the form as the page would without JavaScript.
      ready = false;
      form.submit();
    }).then(function () {
      delete form.dataset.busy;
      form.removeAttribute("aria-busy");
      return refresh();
    });
  }

  // Start ---------------------------------------------------------------------------------------

  forms.forEach(function (form) {
    setValue(form, "capture_key", newKey());
    each(form.querySelectorAll(".geo-actions"), function (box) { box.hidden = false; });
    each(form.querySelectorAll("[data-locate]"), function (button) {
      button.addEventListener("click", function () { locate(form, button); });
    });
    form.addEventListener("submit", onSubmit);
    if (queueing) statusOf(form);
  });

  if (queueing) {
    pending.addEventListener("click", function (event) {
      var button = event.target.closest("[data-erase]");
      if (!button) return;
      var key = button.getAttribute("data-erase");
      queue.remove(key).then(function () {
        forms.forEach(function (form) { if (form.dataset.holds === key) fresh(form); });
        return refresh();
      });
    });
    openDb().then(function () {
      ready = true;
      return refresh();
    }).then(flush).catch(function () { ready = false; });
    window.addEventListener("online", flush);
  }

  // The service worker keeps the round page and its files for use without signal.
  if (round && round.dataset.sw && "serviceWorker" in navigator) {
    var script = new URL(round.dataset.sw, location.href);
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "kept") round.setAttribute("data-offline-ready", "");
    });
    navigator.serviceWorker.register(script.href, { scope: new URL("./", script).pathname }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return document.fonts ? document.fonts.ready.then(function () { return registration; }) : registration;
    }).then(function (registration) {
      var urls = [location.pathname];
      each(document.querySelectorAll("link[rel=stylesheet][href], script[src], img[src], link[rel=icon][href]"), function (el) {
        urls.push(el.href || el.src);
      });
      // The web fonts this page loaded (the Arabic one on an Arabic page), so the round reads the same offline.
      if (window.performance && performance.getEntriesByType) {
        each(performance.getEntriesByType("resource"), function (entry) {
          if (/\.woff2$/.test(new URL(entry.name).pathname)) urls.push(entry.name);
        });
      }
      if (registration.active) registration.active.postMessage({ type: "keep", urls: urls });
    }).catch(function () { /* the page works online without it */ });
  }
})();
