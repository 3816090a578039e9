// Call forwarding: a group's details (destination, voicemail choice, rings) show only while the group's
// switch is ticked. Progressive enhancement: without this script every detail is shown.
(function () {
  "use strict";
  document.querySelectorAll("[data-shown-by]").forEach(function (details) {
    var toggle = document.getElementById(details.getAttribute("data-shown-by"));
    if (!toggle) { return; }
    toggle.setAttribute("aria-controls", details.id);
    var sync = function () {
      // A group switched off but holding an error stays open, so the error is never hidden.
      details.hidden = !toggle.checked && !details.querySelector(".has-error");
    };
    toggle.addEventListener("change", sync);
    sync();
  });
})();
