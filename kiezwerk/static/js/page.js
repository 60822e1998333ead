/* Behaviour of every page: after a failed submit, focus the error summary (data-autofocus) so
   screen readers read it and the page shows it; in a navigation row that scrolls sideways on a
   phone, bring the current page's link into view. Without JavaScript the summary stays at the
   top of its form and the row can be scrolled by hand. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }

  // The row starts on the left, or on the right on a right-to-left page: a link cut off is scrolled to
  // 16 px from the row's start. Again once the web fonts are in (the Arabic font changes the widths).
  function showCurrent() {
    document.querySelectorAll(".scroll-row [aria-current=page]").forEach(function (current) {
      var row = current.closest(".scroll-row");
      var box = row.getBoundingClientRect();
      var link = current.getBoundingClientRect();
      if (link.left >= box.left && link.right <= box.right) { return; }
      if (getComputedStyle(row).direction === "rtl") {
        row.scrollLeft += link.right - box.right + 16;
      } else {
        row.scrollLeft += link.left - box.left - 16;
      }
    });
  }
  showCurrent();
  if (document.fonts) { document.fonts.ready.then(showCurrent); }
})();
