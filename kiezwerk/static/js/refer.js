/* The refer page: choosing an organisation lists only its people as the mail's recipients, in place.
   Without JavaScript the server does the same in a second step (`recipients_of` names the organisation
   whose people the list shows; only a submit whose list matches its organisation refers). */
(function () {
  "use strict";
  var data = document.getElementById("recipient-options");
  var organisation = document.getElementById("id_organisation");
  var contact = document.getElementById("id_contact");
  var field = document.getElementById("recipient-field");
  var shownFor = document.getElementById("id_recipients_of");
  var button = document.getElementById("refer-submit");
  var announce = document.getElementById("announce");
  if (!data || !organisation || !contact || !field || !shownFor || !button) return;
  var options = JSON.parse(data.textContent);

  function show(tell) {
    var list = options[organisation.value];
    if (shownFor.value === organisation.value) return;  // the list on the page is this organisation's
    contact.replaceChildren();
    (list || []).forEach(function (option) {
      contact.add(new Option(option[1], option[0]));  // text, never HTML
    });
    field.hidden = !list;
    shownFor.value = list ? organisation.value : "";
    button.textContent = list ? button.dataset.refer : button.dataset.next;
    if (tell && list && announce) announce.textContent = field.dataset.announce;
  }

  organisation.addEventListener("change", function () { show(true); });
  show(false);  // a choice the browser restored (back button) gets its list too
})();
