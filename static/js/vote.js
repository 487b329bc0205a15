// Public voting, verify page: a countdown on the "get code" button while a code was sent less than a minute ago
// (the server enforces the wait; after a reload the page says how long is left), and the cursor where the voter
// types next: a field with an error, else the code box (unless static/js/forms.js took the eye to an error
// summary).
(function () {
  var invalid = document.querySelector("input[aria-invalid='true']");
  var code = document.querySelector("input[name='code']");
  if (document.getElementById("error-summary")) { /* forms.js focused it */ }
  else if (invalid) invalid.focus();
  else if (code) code.focus();

  var button = document.querySelector("button[data-resend]");
  if (!button) return;
  var left = parseInt(button.getAttribute("data-resend"), 10) || 0;
  if (left <= 0) return;
  var label = button.textContent;
  button.disabled = true;
  function tick() {
    if (left <= 0) { button.disabled = false; button.textContent = label; return; }
    button.textContent = label + "（" + left + "s）";
    left -= 1;
    setTimeout(tick, 1000);
  }
  tick();
})();
