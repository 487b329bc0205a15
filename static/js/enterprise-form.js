/* Enterprise form: show only the 大类 of the chosen 门类. Without JavaScript every 大类 is listed and
   the server checks that the 大类 belongs to the 门类. */
(function () {
  var section = document.getElementById("id_industry_section");
  var division = document.getElementById("id_industry_division");
  if (!section || !division) return;
  function filter() {
    var code = section.value;
    var groups = division.getElementsByTagName("optgroup");
    for (var i = 0; i < groups.length; i++) {
      var show = !code || groups[i].label.indexOf(code + " ") === 0;
      groups[i].hidden = !show;
      groups[i].disabled = !show;
    }
    var chosen = division.options[division.selectedIndex];
    if (chosen && chosen.parentNode.tagName === "OPTGROUP" && chosen.parentNode.disabled) division.value = "";
  }
  function pickSection() {
    var chosen = division.options[division.selectedIndex];
    if (!section.value && chosen && chosen.parentNode.tagName === "OPTGROUP") {
      section.value = chosen.parentNode.label.split(" ")[0];
      filter();
    }
  }
  section.addEventListener("change", filter);
  division.addEventListener("change", pickSection);
  filter();
})();
