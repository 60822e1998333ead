/* Behaviour of every page: after a failed submit, focus the error summary (data-autofocus) so
   screen readers read it and the page shows it; in a navigation row that scrolls sideways on a
   phone, bring the current page's link into view. Without JavaScript the summary stays at the
   top of its form and the row can be scrolled by hand. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }

  document.querySelectorAll(".scroll-row [aria-current=page]").forEach(function (current) {
    var row = current.closest(".scroll-row");
    var offset = current.getBoundingClientRect().left - row.getBoundingClientRect().left;
    if (offset + current.offsetWidth > row.clientWidth) { row.scrollLeft += offset - 16; }
  });
})();
