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

/* 技术交易额 = 成交额 − the deductions, computed as the applicant types (in whole cents, never floating point):
   filled in while the field is empty or still holds the last computed value, and explained by a formula line.
   The server checks the declared amount either way, and computes it on saving when it is left empty. */
(function () {
  "use strict";
  var form = document.getElementById("filing-form");
  if (!form) { return; }
  var amount = form.querySelector('[name="amount"]');
  var technical = form.querySelector('[name="technical_amount"]');
  var formula = document.getElementById("technical-formula");
  if (!amount || !technical || !formula) { return; }
  var deductionInputs = Array.prototype.slice.call(form.querySelectorAll('input[name^="deductions."][name$=".amount"]'));
  var previous = null;  // the result computed before the latest keystroke, in cents

  function cents(text) {  // "1,250,000.5" → 125000050; null when empty or not an amount
    var value = (text || "").replace(/[,，\s]/g, "");
    var match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value);
    if (!match) { return null; }
    return parseInt(match[1], 10) * 100 + parseInt(((match[2] || "") + "00").slice(0, 2), 10);
  }
  function yuan(total, grouped) {
    var whole = Math.floor(total / 100).toString();
    if (grouped) { whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
    return whole + "." + ("0" + (total % 100)).slice(-2);
  }
  function update() {
    var base = cents(amount.value);
    var deducted = 0;
    var readable = deductionInputs.every(function (input) {
      if (!input.value.trim()) { return true; }
      var value = cents(input.value);
      deducted += value === null ? 0 : value;
      return value !== null;
    });
    if (base === null || !readable || deducted > base) { formula.hidden = true; return; }
    var result = base - deducted;
    formula.textContent = formula.getAttribute("data-amount-label") + " " + yuan(base, true) + " − " +
      formula.getAttribute("data-deductions-label") + " " + yuan(deducted, true) + " = " + yuan(result, true);
    formula.hidden = false;
    var current = technical.value.trim();
    if (current === "" || (previous !== null && cents(current) === previous)) {
      technical.value = yuan(result, false);
    }
    previous = result;
  }
  [amount].concat(deductionInputs).forEach(function (input) { input.addEventListener("input", update); });
  update();
})();
