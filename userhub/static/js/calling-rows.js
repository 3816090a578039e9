// Call settings: "Add a number" / "Add a rule" / "Add an assistant" add a blank row in the page
// instead of posting the form. Without this script the buttons post the form and the server adds
// the row, so the page works the same. The server renders a blank row last: it is the model.
(function () {
  "use strict";
  var ATTRIBUTES = ["name", "id", "for", "aria-describedby"];

  function renumber(node, list, from, to) {
    var pattern = new RegExp("(^|\\s)" + list + "-" + from + "(?=-|$|\\s)", "g");
    [node].concat(Array.prototype.slice.call(node.querySelectorAll("*"))).forEach(function (el) {
      ATTRIBUTES.forEach(function (attr) {
        var value = el.getAttribute && el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(pattern, "$1" + list + "-" + to)); }
      });
    });
  }

  function blank(row) {
    row.querySelectorAll(".errors").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    row.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    row.querySelectorAll("input[type=text], input[type=tel], input[type=email], textarea").forEach(function (el) {
      el.value = "";
    });
  }

  document.querySelectorAll("[data-rows]").forEach(function (group) {
    var list = group.getAttribute("data-rows");
    var rows = group.querySelectorAll("[data-row]");
    var button = group.querySelector("button.add-row");
    if (!rows.length || !button) { return; }
    var model = rows[rows.length - 1].cloneNode(true);
    blank(model);
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var current = group.querySelectorAll("[data-row]");
      var row = model.cloneNode(true);
      renumber(row, list, rows.length - 1, current.length);  // the model's own index -> the next one
      var number = row.querySelector(".row-number");
      if (number) { number.textContent = (current.length + 1) + "."; }
      current[current.length - 1].after(row);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
  });
})();
