// Ticks the password rules as the person types. The server decides; this only helps.
(function () {
  "use strict";
  var SPECIALS = "~!@#$%^&*()-_=+[]{}|;:,.<>/?";
  var checks = {
    length: function (p) { var n = Array.from(p.normalize("NFC")).length; return n >= 8 && n <= 256; },
    digit: function (p) { return /\p{Nd}/u.test(p); },
    upper: function (p) { return /\p{Lu}/u.test(p); },
    lower: function (p) { return /\p{Ll}/u.test(p); },
    special: function (p) { return Array.from(p).some(function (c) { return SPECIALS.indexOf(c) !== -1; }); },
    personal: function (p, words) {
      var lower = p.toLowerCase();
      return p.length > 0 && !words.some(function (w) { return w.length >= 3 && lower.indexOf(w) !== -1; });
    }
  };
  document.querySelectorAll(".checklist[data-for]").forEach(function (list) {
    var input = document.getElementById(list.getAttribute("data-for"));
    if (!input) { return; }
    var words = [];
    (list.getAttribute("data-personal") || "").split("\n").forEach(function (w) {
      w = w.trim().toLowerCase();
      if (!w) { return; }
      words.push(w);
      w.split(/[^\p{L}\p{N}]+/u).forEach(function (part) { if (part.length >= 3) { words.push(part); } });
    });
    function update() {
      list.querySelectorAll("li[data-rule]").forEach(function (item) {
        var check = checks[item.getAttribute("data-rule")];
        if (!check) { return; }
        var ok = check(input.value, words);
        item.classList.toggle("ok", ok);
        item.setAttribute("data-ok", ok ? "true" : "false");
      });
    }
    input.addEventListener("input", update);
    update();
  });
})();
