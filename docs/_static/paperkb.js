/* paper-kb on every page: the light/dark toggle (remembered in localStorage),
   long author lists folded ("and 85 more", expands on click), and the search
   words highlighted on the result a reader opened, with a button that hides them. */
(function () {
  "use strict";
  var root = document.documentElement;
  // Search words light up the result a reader opened and no other page: the search page notes
  // them with that page's address (paperkb-search.js); sphinx_highlight.js, which reads its
  // localStorage key on DOMContentLoaded (after this deferred script), gets them on that page
  // only. Sphinx's own ?highlight= in an address still works.
  var highlighted = new URLSearchParams(window.location.search).get("highlight");
  try {
    var opened = JSON.parse(localStorage.getItem("paperkb-highlight") || "null");
    var here = function (address) { return String(address).split(/[?#]/)[0]; };
    localStorage.removeItem("paperkb-highlight");
    localStorage.removeItem("sphinx_highlight_terms");
    if (opened && opened.words && here(opened.page) === here(window.location.href)) {
      highlighted = opened.words;
      localStorage.setItem("sphinx_highlight_terms", highlighted);
    }
  } catch (e) { /* private mode, or a malformed entry: no highlighting */ }

  /** Above the page: which words are highlighted, and a button that hides them. */
  function offerToHide() {
    var body = document.querySelector("div.body");
    if (!body || !body.querySelector("span.highlighted")) return;
    var note = document.createElement("p");
    note.className = "paperkb-highlight-note";
    note.setAttribute("role", "status");
    var label = document.createElement("span");
    var words = highlighted.trim().split(/\s+/).map(function (word) { return "「" + word + "」"; });
    label.textContent = "已高亮搜索词" + words.join("") + " · Search matches highlighted";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "paperkb-unhighlight";
    button.textContent = "取消高亮 · Hide";
    function hide() {
      body.querySelectorAll("span.highlighted").forEach(function (span) { span.classList.remove("highlighted"); });
      note.remove();
      document.removeEventListener("keydown", onEscape);
    }
    function onEscape(event) {
      if (event.key === "Escape") hide();
    }
    button.addEventListener("click", hide);
    document.addEventListener("keydown", onEscape);
    note.append(label, button);
    body.insertBefore(note, body.firstChild);
  }
  function isDark() {
    var chosen = root.dataset.theme;
    if (chosen) return chosen === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  document.addEventListener("DOMContentLoaded", function () {
    // sphinx_highlight.js highlights 10 ms after DOMContentLoaded; this timer, set later, runs after.
    if (highlighted && highlighted.trim()) window.setTimeout(offerToHide, 50);
    // A next link alone (the first page of a series) goes on the right, as it does beside a previous one.
    document.querySelectorAll("nav#rellinks li").forEach(function (li) {
      if (li.textContent.trim().slice(-1) === "\u2192") li.classList.add("paperkb-next");
    });
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
