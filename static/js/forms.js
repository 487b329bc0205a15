/* Every page's forms: land on the summary of a failed submit, and warn before leaving unsaved typing.
   - #error-summary (core/error_summary.html) is focused and scrolled into view, so on a phone the person
     sees what to fix, not the top of the page.
   - A form with data-guard warns on leaving the page once something was typed and not yet saved or sent.
     A form that saves by itself (autosave) dispatches "innocase:saved" on the form when its typing is safe,
     and "innocase:unsaved" when a save failed. Plain JS, no build step. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "start" });
  }

  var dirty = [];
  function mark(form, value) {
    var i = dirty.indexOf(form);
    if (value && i < 0) { dirty.push(form); }
    if (!value && i >= 0) { dirty.splice(i, 1); }
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-guard]"), function (form) {
    form.addEventListener("input", function () { mark(form, true); });
    form.addEventListener("change", function () { mark(form, true); });
    form.addEventListener("submit", function () { mark(form, false); });
    form.addEventListener("innocase:saved", function () { mark(form, false); });
    form.addEventListener("innocase:unsaved", function () { mark(form, true); });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty.length) { return; }
    event.preventDefault();
    event.returnValue = "";  // the browser shows its own sentence: "Changes you made may not be saved."
  });
})();
