/* paper-kb on every page: the light/dark toggle (remembered in localStorage)
   and long author lists folded ("and 85 more", expands on click). */
(function () {
  "use strict";
  var root = document.documentElement;
  function isDark() {
    var chosen = root.dataset.theme;
    if (chosen) return chosen === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".paperkb-theme-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var next = isDark() ? "light" : "dark";
        root.dataset.theme = next;
        try { localStorage.setItem("paperkb-theme", next); } catch (e) { /* private mode */ }
      });
    }
    var SHOWN = 10;
    document.querySelectorAll("p.paperkb-authors").forEach(function (p) {
      var names = p.textContent.split(", ");
      if (names.length <= SHOWN + 2) return;
      var full = p.textContent;
      var more = names.length - SHOWN;
      p.textContent = names.slice(0, SHOWN).join(", ") + ", ";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "paperkb-more";
      button.textContent = "and " + more + " more · 另 " + more + " 人";
      button.addEventListener("click", function () { p.textContent = full; });
      p.appendChild(button);
    });
  });
})();
