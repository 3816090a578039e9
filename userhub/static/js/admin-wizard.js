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

  // An error is about what was in its field: once the field is changed, the message goes (the server checks
  // again on submit), and the summary at the top goes with the last one.
  form.addEventListener("change", function (event) {
    var control = event.target;
    if (control.getAttribute("aria-invalid") !== "true") { return; }
    var message = document.getElementById(control.id + "-error");
    if (message) { message.remove(); }
    control.removeAttribute("aria-invalid");
    control.removeAttribute("aria-describedby");
    var summary = document.getElementById("error-summary");
    if (summary && !form.querySelector("[aria-invalid='true']")) { summary.hidden = true; }
  });

  // A number chosen on two rows is said as it is chosen, on the later row (the earlier keeps it) in the
  // server's words; the server checks again on submit. Registered after the listener above, which removes
  // the changed field's message first. Only the messages made here are taken back here.
  var twice = form.dataset.numberTwice;
  function checkNumbers() {
    var seen = {};
    form.querySelectorAll("select.number-select").forEach(function (select) {
      var value = select.value;
      var message = document.getElementById(select.id + "-error");
      if (value && seen[value]) {
        if (message) { return; }
        message = document.createElement("span");
        message.className = "row-error";
        message.id = select.id + "-error";
        message.dataset.client = "1";
        message.textContent = twice.replace("{number}", select.selectedOptions[0].textContent);
        select.insertAdjacentElement("afterend", message);
        select.setAttribute("aria-invalid", "true");
        select.setAttribute("aria-describedby", message.id);
      } else if (message && message.dataset.client) {
        message.remove();
        select.removeAttribute("aria-invalid");
        select.removeAttribute("aria-describedby");
      }
      if (value) { seen[value] = true; }
    });
  }
  if (twice && form.dataset.step === "2") {
    form.addEventListener("change", function (event) {
      if (event.target.matches("select")) { checkNumbers(); }
    });
  }
}());
