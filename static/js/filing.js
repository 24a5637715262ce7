/* Enhancements of the filing form; the form works fully without this script. */
(function () {
  "use strict";
  var form = document.getElementById("filing-form");
  if (!form) { return; }

  // Patent/right numbers only matter when an IP type other than "none" is chosen (unless they are required).
  var ipType = form.querySelector('[name="ip_type"]');
  var numbers = form.querySelector(".tcr-ip-numbers");
  var numbersInput = form.querySelector('[name="ip_numbers"]');
  var numbersRequired = numbers && numbers.querySelector(".tcr-req");
  function toggleNumbers() {
    if (!ipType || !numbers || numbersRequired) { return; }
    var hide = (ipType.value === "none" || ipType.value === "") && !numbersInput.value.trim();
    numbers.hidden = hide;
  }
  if (ipType) { ipType.addEventListener("change", toggleNumbers); toggleNumbers(); }

  // Show the deduction rows in use plus one empty row, and a button for more.
  var rows = Array.prototype.slice.call(form.querySelectorAll(".tcr-deduction-row"));
  function used(row) {
    return Array.prototype.some.call(row.querySelectorAll("input, select"), function (el) { return el.value.trim() !== ""; });
  }
  if (rows.length) {
    var lastUsed = -1;
    rows.forEach(function (row, i) { if (used(row) || row.querySelector(".tcr-note")) { lastUsed = i; } });
    rows.forEach(function (row, i) { row.hidden = i > lastUsed + 1; });
    var more = document.createElement("button");
    more.type = "button";
    more.className = "btn btn-sm btn-outline-secondary mb-2";
    more.textContent = form.getAttribute("data-add-row-label") || "+";
    more.addEventListener("click", function () {
      var next = rows.filter(function (row) { return row.hidden; })[0];
      if (next) { next.hidden = false; next.querySelector("select, input").focus(); }
      if (!rows.some(function (row) { return row.hidden; })) { more.hidden = true; }
    });
    if (!rows.some(function (row) { return row.hidden; })) { more.hidden = true; }
    rows[0].closest("table").parentNode.insertAdjacentElement("afterend", more);
  }
})();
