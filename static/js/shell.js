/* The site header on a phone: the navigation folds behind a 「菜单」 button, so the page starts near the top of
   the screen. Without JavaScript (no "js" class on <html>) the navigation simply shows, as on a desktop. */
(function () {
  "use strict";
  var bar = document.getElementById("topbar");
  var toggle = bar && bar.querySelector(".menu-toggle");
  if (!toggle) { return; }
  var closed = toggle.textContent, open = toggle.getAttribute("data-open-label");
  toggle.addEventListener("click", function () {
    var isOpen = bar.classList.toggle("open");
    toggle.setAttribute("aria-expanded", isOpen ? "true" : "false");
    toggle.textContent = isOpen ? open : closed;
  });
})();
