// Public voting: a countdown on the "get code" button after a code was sent (the server enforces the wait).
(function () {
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
  var code = document.getElementById("code");
  if (code) code.focus();
})();
