/* Behaviour every page shares, kept out of the markup: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  // <button data-tcr-print>: print the page.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-tcr-print]")) { window.print(); }
  });
}());
