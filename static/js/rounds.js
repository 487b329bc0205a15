/* Round pages: the bulk panel shows only the text box the chosen action needs (未通过: a reason the
   submitter reads; 退回修改: comments; 通过: none). Without JavaScript every box shows and its label says
   which action needs it; the server refuses a missing text at its box either way. Plain JS, no build step. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("select[data-action-select]"), function (select) {
    var boxes = select.form.querySelectorAll("[data-show-for]");
    function sync() {
      Array.prototype.forEach.call(boxes, function (box) {
        var field = box.closest(".field") || box;
        field.hidden = box.getAttribute("data-show-for") !== select.value;
      });
    }
    select.addEventListener("change", sync);
    sync();
  });
})();
