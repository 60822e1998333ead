/* The report form's photos: each chosen photo is shown with a button that removes it before
   sending; choosing again adds to the photos already chosen. The file input keeps the list
   (DataTransfer), so the form sends exactly what is shown. Without JavaScript (or DataTransfer)
   the plain file input does the job. */
(function () {
  "use strict";
  var box = document.querySelector("[data-photo-choice]");
  var input = document.querySelector("input[type=file][name=photos]");
  if (!box || !input || typeof DataTransfer === "undefined") { return; }
  var list = box.querySelector("ul");
  var status = box.querySelector("[data-photo-status]");
  var chosen = [];

  function key(file) { return [file.name, file.size, file.lastModified].join("/"); }

  function counted() {
    if (!chosen.length) { return box.dataset.chosenNone; }
    if (chosen.length === 1) { return box.dataset.chosenOne; }
    return box.dataset.chosenMany.replace("%(count)s", chosen.length);
  }

  function keep() {
    var transfer = new DataTransfer();
    chosen.forEach(function (file) { transfer.items.add(file); });
    input.files = transfer.files;
  }

  function item(file, index) {
    var li = document.createElement("li");
    li.className = "photo-choice__item";
    var image = document.createElement("img");
    image.alt = ""; // the file name below says which photo it is
    image.width = 120;
    image.src = URL.createObjectURL(file);
    image.addEventListener("error", function () { image.hidden = true; }); // e.g. HEIC: the name stays
    var name = document.createElement("span");
    name.className = "photo-choice__name small";
    name.textContent = file.name;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--small button--secondary";
    button.textContent = box.dataset.remove;
    button.setAttribute("aria-label", box.dataset.removeNamed.replace("%(name)s", file.name));
    button.addEventListener("click", function () { remove(index); });
    li.appendChild(image);
    li.appendChild(name);
    li.appendChild(button);
    return li;
  }

  function show() {
    list.querySelectorAll("img").forEach(function (image) { URL.revokeObjectURL(image.src); });
    list.textContent = "";
    chosen.forEach(function (file, index) { list.appendChild(item(file, index)); });
    list.hidden = !chosen.length;
  }

  function remove(index) {
    chosen.splice(index, 1);
    keep();
    show();
    status.textContent = box.dataset.removed + " " + counted();
    var buttons = list.querySelectorAll("button");
    (buttons[Math.min(index, buttons.length - 1)] || input).focus();
  }

  input.addEventListener("change", function () {
    var known = chosen.map(key);
    Array.prototype.forEach.call(input.files, function (file) {
      if (known.indexOf(key(file)) === -1) { chosen.push(file); }
    });
    keep();
    show();
    status.textContent = counted();
  });
})();
