/* The case form: live character counts per field and for the body, and draft autosave.
   Plain JS, no build step. Autosave posts the whole form every 20 s and when a changed field loses focus;
   the server answers 200 (saved), 400 (refused, e.g. over a cap) or 409 (someone else saved meanwhile). */
(function () {
  "use strict";
  var form = document.getElementById("case-form");
  if (!form) { return; }

  // Count as the server does: code points, CR LF as one line break, ends trimmed.
  function count(text) {
    return Array.from(text.replace(/\r\n?/g, "\n").trim()).length;
  }
  function byId(id) { return document.getElementById(id); }

  var counters = Array.prototype.slice.call(form.querySelectorAll("[data-count-for]"));
  var total = form.querySelector("[data-total]");

  function updateCounts() {
    counters.forEach(function (el) {
      var input = byId(el.getAttribute("data-count-for"));
      if (!input) { return; }
      var n = count(input.value), max = parseInt(el.getAttribute("data-max") || "0", 10);
      el.textContent = max ? n + " / " + max + " 字" : n + " 字";
      el.classList.toggle("over", !!max && n > max);
    });
    if (total) {
      var ids = total.getAttribute("data-total").split(" "), sum = 0;
      ids.forEach(function (id) { var input = byId(id); if (input) { sum += count(input.value); } });
      var max = parseInt(total.getAttribute("data-max"), 10);
      var lo = total.getAttribute("data-target-lo"), hi = total.getAttribute("data-target-hi");
      total.textContent = "正文合计 " + sum + " / " + max + " 字（通常 " + lo + "–" + hi + " 字）";
      total.classList.toggle("over", sum > max);
      total.classList.toggle("short", sum < parseInt(lo, 10));
    }
  }
  form.addEventListener("input", updateCounts);
  updateCounts();

  var url = form.getAttribute("data-autosave-url");
  var status = byId("autosave-status");
  if (!url || !window.fetch || !window.FormData) { return; }

  function show(text, kind) {
    if (!status) { return; }
    status.textContent = text;
    status.className = "autosave-status" + (kind ? " " + kind : "");
  }
  function snapshot() {
    var parts = [];
    new FormData(form).forEach(function (value, key) {
      if (key !== "loaded_version" && key !== "csrfmiddlewaretoken") { parts.push(key + "=" + value); }
    });
    return parts.join("&");
  }

  var saved = snapshot(), inflight = null, stopped = false;

  function save() {
    if (stopped) { return Promise.resolve(false); }
    if (inflight) { return inflight; }
    var now = snapshot();
    if (now === saved) { return Promise.resolve(true); }
    var body = new FormData(form);
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    show(form.getAttribute("data-msg-saving"), "");
    inflight = fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      inflight = null;
      var data = result.data || {};
      if (data.ok) {
        saved = now;
        form.elements.loaded_version.value = data.version;
        show(data.message, "ok");
        return true;
      }
      if (result.status === 409 || result.status === 410) { stopped = true; }
      saved = now;  // do not post the same refused text again; the next change is tried
      show((data.errors || []).join(" "), "bad");
      return false;
    }).catch(function () {
      inflight = null;
      show(form.getAttribute("data-msg-failed"), "bad");
      return false;
    });
    return inflight;
  }

  window.setInterval(save, 20000);
  form.addEventListener("focusout", function (event) {
    if (event.target && event.target.name) { save(); }
  });
  // A normal Save / Submit posts the page itself: wait for a running autosave so the version is current,
  // and stop autosaving while the page unloads.
  form.addEventListener("submit", function (event) {
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
