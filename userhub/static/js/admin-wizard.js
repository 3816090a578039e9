// "Ajouter des utilisateurs": hide the name columns in "Adresse électronique" mode, show only the
// numbers of the chosen location, and propose the number's last four digits as the extension
// (the guide's recommendation) unless a user or another row already has them. The form works without this.
(function () {
  "use strict";
  var form = document.getElementById("wizard");
  if (!form) { return; }
  document.documentElement.classList.add("js");

  function applyMode() {
    var email = form.querySelector("input[name=mode][value=email]");
    form.classList.toggle("mode-email", !!(email && email.checked));
  }
  form.querySelectorAll("input[name=mode]").forEach(function (radio) { radio.addEventListener("change", applyMode); });
  applyMode();

  function usedExtensions(except) {
    var used = {};
    form.querySelectorAll("input[name^='extension-']").forEach(function (input) {
      if (input !== except && input.value) { used[input.value] = true; }
    });
    return used;
  }

  form.querySelectorAll("select.number-select").forEach(function (select) {
    var row = select.closest("tr");
    var location = row.querySelector("select.location-select");
    var extension = document.getElementById(select.dataset.extension);
    function filter() {
      select.querySelectorAll("optgroup").forEach(function (group) {
        var show = !location.value || group.dataset.location === location.value;
        group.hidden = !show;
        group.disabled = !show;
      });
      var chosen = select.selectedOptions[0];
      if (chosen && chosen.parentElement.disabled) { select.value = ""; }
    }
    location.addEventListener("change", filter);
    filter();
    select.addEventListener("change", function () {
      // The server marks each number whose last four digits no user of the organization has as extension.
      var chosen = select.selectedOptions[0];
      var digits = chosen ? (chosen.dataset.extension || "") : "";
      if (extension && digits && !extension.value && !usedExtensions(extension)[digits]) {
        extension.value = digits;
      }
    });
  });
}());
