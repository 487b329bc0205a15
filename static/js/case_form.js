/* The case form: live character counts per field and for the body, and draft autosave.
   Plain JS, no build step.
   - A draft keeps whatever is typed, also over a limit: a counter over its limit turns red and marks its field,
     and the limits are checked when the case is submitted.
   - Autosave posts the whole form a few seconds after typing stops, when a changed field loses focus, and every
     20 s. The server answers 200 (saved), 400 (refused, e.g. text beyond what a draft holds), 409 (someone else
     saved meanwhile) or 410 (the invitation link died).
   - The save bar says 「已保存 hh:mm」 or 「未保存」 with the reason, and the form tells static/js/forms.js
     (form[data-guard]) whether the typing is safe: "innocase:saved" when everything typed is stored,
     "innocase:unsaved" when a save failed, so leaving the page then asks first. */
(function () {
  "use strict";
  var form = document.getElementById("case-form");
  if (!form) { return; }

  // Count as the server does: code points, CR LF as one line break, ends trimmed.
  function count(text) {
    return Array.from(text.replace(/\r\n?/g, "\n").trim()).length;
  }
  function byId(id) { return document.getElementById(id); }
  function overText(n) {
    return (form.getAttribute("data-msg-over") || "+%(n)s").replace("%(n)s", n);
  }
  function markField(input, over) {
    var field = input.closest(".field");
    if (field) { field.classList.toggle("over-limit", over); }
  }

  var counters = Array.prototype.slice.call(form.querySelectorAll("[data-count-for]"));
  var total = form.querySelector("[data-total]");

  function updateCounts() {
    counters.forEach(function (el) {
      var input = byId(el.getAttribute("data-count-for"));
      if (!input) { return; }
      var n = count(input.value), max = parseInt(el.getAttribute("data-max") || "0", 10);
      var over = !!max && n > max;
      el.textContent = max ? n + " / " + max + " 字" + (over ? "，" + overText(n - max) : "") : n + " 字";
      el.classList.toggle("over", over);
      markField(input, over);
    });
    if (total) {
      var ids = total.getAttribute("data-total").split(" "), sum = 0;
      ids.forEach(function (id) { var input = byId(id); if (input) { sum += count(input.value); } });
      var max = parseInt(total.getAttribute("data-max"), 10);
      var lo = total.getAttribute("data-target-lo"), hi = total.getAttribute("data-target-hi");
      total.textContent = "正文合计 " + sum + " / " + max + " 字" + (sum > max ? "，" + overText(sum - max) : "") +
        "（通常 " + lo + "–" + hi + " 字）";
      total.classList.toggle("over", sum > max);
      total.classList.toggle("short", sum < parseInt(lo, 10));
    }
  }
  form.addEventListener("input", updateCounts);
  updateCounts();

  var url = form.getAttribute("data-autosave-url");
  var status = byId("autosave-status");
  if (!url || !window.fetch || !window.FormData) { return; }

  var state = "saved";  // saved | dirty | saving | failed
  function show(text, kind) {
    if (!status) { return; }
    status.textContent = text;
    status.className = "autosave-status" + (kind ? " " + kind : "");
  }
  function tell(name) {
    form.dispatchEvent(new CustomEvent(name, { bubbles: true }));
  }
  function failed(reason) {
    state = "failed";
    show(form.getAttribute("data-msg-unsaved") + (reason ? "：" + reason : ""), "bad");
    tell("innocase:unsaved");
  }
  function snapshot() {
    var parts = [];
    new FormData(form).forEach(function (value, key) {
      if (key !== "loaded_version" && key !== "csrfmiddlewaretoken") { parts.push(key + "=" + value); }
    });
    return parts.join("&");
  }

  var saved = snapshot(), refused = null, inflight = null, stopped = false, timer = null;
  // The server showed this page again with what was posted because it could not save it (data-unsaved): that
  // text exists only on this page, so it counts as unsaved from the start.
  if (form.hasAttribute("data-unsaved")) {
    refused = saved;
    saved = null;
    state = "failed";
    show(form.getAttribute("data-unsaved"), "bad");
    tell("innocase:unsaved");
  }

  function save() {
    window.clearTimeout(timer);
    if (stopped) { return Promise.resolve(false); }
    if (inflight) { return inflight; }
    var now = snapshot();
    if (now === saved) { return Promise.resolve(true); }
    if (now === refused) { return Promise.resolve(false); }  // the same text was refused: wait for a change
    var body = new FormData(form);
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    state = "saving";
    show(form.getAttribute("data-msg-saving"), "");
    inflight = fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; },
                                   function () { return { status: response.status, data: {} }; });
    }).then(function (result) {
      inflight = null;
      var data = result.data || {};
      if (data.ok) {
        saved = now;
        refused = null;
        form.elements.loaded_version.value = data.version;
        if (snapshot() === saved) {
          state = "saved";
          show(data.message, "ok");
          tell("innocase:saved");
        } else {  // typed on while the save ran: that part is not stored yet
          state = "dirty";
          show(form.getAttribute("data-msg-dirty"), "");
          later();
        }
        return true;
      }
      if (result.status === 409 || result.status === 410) { stopped = true; }
      if (result.status === 400) { refused = now; }  // a server or network hiccup is tried again
      failed((data.errors || []).join(" ") || form.getAttribute("data-msg-failed"));
      if (snapshot() !== now) { later(); }
      return false;
    }).catch(function () {
      inflight = null;
      failed(form.getAttribute("data-msg-failed"));
      return false;
    });
    return inflight;
  }
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 3000);
  }

  form.addEventListener("input", function () {
    if (stopped) { return; }
    if (state !== "failed" && state !== "saving") {
      state = "dirty";
      show(form.getAttribute("data-msg-dirty"), "");
    }
    later();
  });
  form.addEventListener("change", later);
  window.setInterval(save, 20000);
  form.addEventListener("focusout", function (event) {
    if (event.target && event.target.name) { save(); }
  });
  // A normal Save / Submit posts the page itself: wait for a running autosave so the version is current,
  // and stop autosaving while the page unloads.
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (inflight) {
      event.preventDefault();
      var submitter = event.submitter;
      inflight.then(function () {
        stopped = true;
        if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
      });
      return;
    }
    stopped = true;
  });
})();
