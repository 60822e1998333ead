/* The desk's workspace: choosing a reply template fills the text box (the server does the same without JavaScript). */
(function () {
  "use strict";
  var data = document.getElementById("template-texts");
  var select = document.getElementById("id_template");
  var text = document.getElementById("id_text");
  if (!data || !select || !text) return;
  var texts = JSON.parse(data.textContent);
  var filled = "";
  select.addEventListener("change", function () {
    var chosen = texts[select.value] || "";
    if (text.value.trim() === "" || text.value === filled) {
      text.value = chosen;
      filled = chosen;
    }
  });
})();
