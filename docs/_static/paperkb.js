/* paper-kb on every page: the light/dark toggle (remembered in localStorage),
   long author lists folded ("and 85 more", expands on click), the search
   words highlighted on the result a reader opened, with a button that hides them,
   and on the home page the latest papers new since the last visit and a filter by topic. */
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
  // The home page's latest papers (the block with class paperkb-latest, tools/layout.py): those
  // not seen before are marked "new". localStorage keeps the ids seen (the newest KEPT), per site
  // root, so two sites on one origin do not mix; a visit lasts while sessionStorage says the reader
  // was on the site in the last half hour (every page renews it), so that reloading or coming back
  // to the home page keeps the marks. The first visit marks nothing. No storage: no marks.
  var VISIT_MS = 30 * 60 * 1000, KEPT = 2000, NEW = "new";
  // Topics shown before "more": on a phone (alabaster's 875 px breakpoint) two or three rows.
  var SHOWN_TOPICS = window.matchMedia && window.matchMedia("(max-width: 875px)").matches ? 4 : 8;
  var site = new URL(root.dataset.content_root || "./", window.location.href).pathname;
  var SEEN = "paperkb-seen:" + site, VISIT = "paperkb-visit:" + site;
  function load(kind, key) {
    try { return JSON.parse(window[kind].getItem(key)); } catch (e) { return null; }
  }
  function save(kind, key, value) {
    try { window[kind].setItem(key, JSON.stringify(value)); } catch (e) { /* blocked, or full */ }
  }
  var visit = load("sessionStorage", VISIT);
  if (!visit || !(Date.now() - visit.at < VISIT_MS) || !Array.isArray(visit.fresh)) visit = null;
  if (visit) save("sessionStorage", VISIT, {at: Date.now(), fresh: visit.fresh});

  /** The ids of the papers new since the last visit, among `ids`; remembers `ids` as seen. */
  function freshIds(ids) {
    var seen = load("localStorage", SEEN);
    var known = Array.isArray(seen) ? new Set(seen) : null;
    var fresh = new Set(visit ? visit.fresh : []);
    if (known) ids.forEach(function (id) { if (!known.has(id)) fresh.add(id); });
    var kept = ids.concat((known ? seen : []).filter(function (id) { return ids.indexOf(id) < 0; }));
    save("localStorage", SEEN, kept.slice(0, KEPT));
    var shown = ids.filter(function (id) { return fresh.has(id); });
    save("sessionStorage", VISIT, {at: Date.now(), fresh: shown});
    return new Set(shown);
  }
  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }
  function name(link) {  // topics/<slug>.html, papers/<id>.html -> slug, id
    return (link.getAttribute("href") || "").split(/[?#]/)[0].split("/").pop().replace(/\.html$/, "");
  }
  function latestPapers(block) {
    var cards = [].slice.call(block.querySelectorAll("div.paperkb-card")).map(function (card) {
      var link = card.querySelector("p a");
      var topics = [].map.call(card.querySelectorAll("ul.paperkb-chips a"), function (a) {
        return {slug: name(a), label: a.textContent.trim()};
      });
      return {card: card, id: link ? name(link) : "", topics: topics};
    });
    var fresh = freshIds(cards.map(function (c) { return c.id; }));
    cards.forEach(function (c) {
      if (!fresh.has(c.id)) return;
      c.card.classList.add("paperkb-fresh");
      var title = c.card.querySelector("p");
      title.insertBefore(element("span", "paperkb-new", "新 · New"), title.firstChild);
    });
    var counts = {}, topics = [];
    cards.forEach(function (c) {
      c.topics.forEach(function (t) {
        if (!counts[t.slug]) { counts[t.slug] = 0; topics.push(t); }
        counts[t.slug] += 1;
      });
    });
    topics.sort(function (a, b) { return counts[b.slug] - counts[a.slug]; });  // stable: ties in card order
    var row = element("div", "paperkb-filter");
    row.setAttribute("role", "group");
    row.setAttribute("aria-label", "按主题筛选 · Filter by topic");
    var buttons = [];
    function chip(value, text) {
      var button = element("button", "", text);
      button.type = "button";
      button.dataset.topic = value;
      button.addEventListener("click", function () { choose(value, true); });
      buttons.push(button);
      row.appendChild(button);
      return button;
    }
    function unfold(event) {
      var first = buttons.filter(function (button) { return button.hidden; })[0];
      buttons.forEach(function (button) { button.hidden = false; });
      if (more) more.remove();
      more = null;
      if (event && first) first.focus();  // the button that was clicked is gone
    }
    chip("", "全部 · All " + cards.length);
    if (fresh.size) chip(NEW, "新 · New " + fresh.size);
    topics.forEach(function (t, index) {
      chip(t.slug, t.label + " " + counts[t.slug]).hidden = index >= SHOWN_TOPICS && topics.length > SHOWN_TOPICS + 1;
    });
    var folded = topics.length - SHOWN_TOPICS, more = null;
    if (folded > 1) {
      more = element("button", "paperkb-filter-more", "更多 " + folded + " 个主题 · " + folded + " more");
      more.type = "button";
      more.addEventListener("click", unfold);
      row.appendChild(more);
    }
    /** Show the cards of one topic (a slug; NEW: the new papers; "": all), noted in the address. */
    function choose(value, chosen) {
      // A topic of that slug wins over NEW; an unknown one shows all.
      var topic = counts[value] ? value : value === NEW && fresh.size ? NEW : "";
      buttons.forEach(function (button) {
        var pressed = button.dataset.topic === topic;
        button.setAttribute("aria-pressed", String(pressed));
        if (pressed && button.hidden) unfold(null);
      });
      cards.forEach(function (c) {
        c.card.hidden = topic === NEW ? !fresh.has(c.id)
          : topic !== "" && !c.topics.some(function (t) { return t.slug === topic; });
      });
      if (!chosen) return;
      var address = new URL(window.location.href);
      if (topic) address.searchParams.set("topic", topic); else address.searchParams.delete("topic");
      try { window.history.replaceState(window.history.state, "", address.href); } catch (e) { /* file:// in some browsers */ }
    }
    if (fresh.size) {
      var count = element("p", "paperkb-new-count", fresh.size + " 篇新论文 · " + fresh.size + " new since your last visit");
      count.setAttribute("role", "status");
      block.parentNode.insertBefore(count, block);
    }
    block.parentNode.insertBefore(row, block);
    choose(new URLSearchParams(window.location.search).get("topic") || "", false);
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
    var latest = document.querySelector("div.paperkb-latest");
    if (latest) latestPapers(latest);
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
