// A rule's page: the "selected phone numbers" group is shown only when "Calls from" is
// "Selected phone numbers". Without this script every field is shown and the server ignores
// the group unless it is chosen, so the page works the same.
(function () {
  "use strict";
  document.querySelectorAll("[data-shown-when]").forEach(function (group) {
    var parts = group.getAttribute("data-shown-when").split("=");
    var control = document.getElementById(parts[0]);
    if (!control) { return; }
    function update() {
      // An error shown in the group keeps it open, so the person sees what to correct.
      group.hidden = control.value !== parts[1] && !group.querySelector(".errors");
    }
    control.addEventListener("change", update);
    update();
  });
})();
