/* The running total of a score sheet (apps/review/templates/review/_running_total.html), in plain JS, no build
   step. It computes what the server stores when the sheet is submitted (apps/review/aggregation.py,
   weighted_total): Σ score ÷ maximum × weight over the criteria, rounded to 4 places, and writes it as the
   `points` filter does (at most 2 decimals, half up, no trailing zeros). Blank scores and scores the server would
   refuse (not a number, below 0, above the maximum, more than 1 decimal) are left out and counted in the note. */
(function () {
  "use strict";
  var box = document.getElementById("running-total");
  if (!box) { return; }
  var form = box.closest("form");
  var inputs = form ? form.querySelectorAll("input[data-score]") : [];
  if (!inputs.length) { return; }
  var value = box.querySelector(".total-value");
  var note = box.querySelector(".total-note");

  // A score as the server reads it, or null when it would be refused; undefined when blank.
  function scoreOf(input) {
    if (input.validity && input.validity.badInput) { return null; }
    var text = input.value.trim();
    if (text === "") { return undefined; }
    var x = Number(text);
    var maximum = Number(input.getAttribute("data-maximum"));
    if (!isFinite(x) || x < 0 || x > maximum) { return null; }
    if (Math.abs(x * 10 - Math.round(x * 10)) > 1e-9) { return null; }
    return x;
  }

  // Neumaier's compensated sum: for a dozen terms it gives what Python's math.fsum gives.
  function sum(terms) {
    var s = 0, c = 0;
    terms.forEach(function (t) {
      var u = s + t;
      c += Math.abs(s) >= Math.abs(t) ? (s - u) + t : (t - u) + s;
      s = u;
    });
    return s + c;
  }

  // round(x, 4) then half up to 2 places, in whole numbers so that no binary fraction gets in the way.
  function points(x) {
    var tenThousandths = Math.round(x * 10000);
    var hundredths = Math.floor((tenThousandths + 50) / 100);
    var whole = Math.floor(hundredths / 100);
    var cents = String(hundredths % 100);
    if (cents.length < 2) { cents = "0" + cents; }
    cents = cents.replace(/0+$/, "");
    return cents ? whole + "." + cents : String(whole);
  }

  function update() {
    var terms = [], filled = 0, wrong = 0;
    Array.prototype.forEach.call(inputs, function (input) {
      var x = scoreOf(input);
      if (x === undefined) { return; }
      if (x === null) { wrong += 1; return; }
      filled += 1;
      terms.push(x * Number(input.getAttribute("data-weight")) / Number(input.getAttribute("data-maximum")));
    });
    value.textContent = points(sum(terms));
    if (wrong) {
      note.textContent = box.getAttribute("data-invalid").replace("{n}", wrong);
    } else if (filled < inputs.length) {
      note.textContent = box.getAttribute("data-progress").replace("{n}", filled).replace("{count}", inputs.length);
    } else {
      note.textContent = "";
    }
    box.classList.toggle("complete", !wrong && filled === inputs.length);
  }

  form.addEventListener("input", update);
  box.hidden = false;
  update();
})();
