// The progress page of an import, better with JavaScript: instead of reloading the whole page (the
// <noscript> meta refresh does that without JavaScript), fetch it every 2 s and update the status
// region in place, so focus, scroll and what a screen reader is reading stay where they are.
(function () {
  "use strict";
  var IDS = ["job-progress", "job-failures"];
  var region = document.getElementById("job-progress");
  if (!region || !region.hasAttribute("data-running")) {
    return;
  }
  function tick() {
    fetch(window.location.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.text();
    }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html");
      IDS.forEach(function (id) {
        var fresh = next.getElementById(id);
        var here = document.getElementById(id);
        if (fresh && here) {
          here.innerHTML = fresh.innerHTML;
        }
      });
      var fresh = next.getElementById("job-progress");
      if (fresh && fresh.hasAttribute("data-running")) {
        window.setTimeout(tick, 2000);
      }
    }).catch(function () {
      window.location.reload(); // what the page does without JavaScript
    });
  }
  window.setTimeout(tick, 2000);
}());
