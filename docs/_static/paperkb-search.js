/*
 * paper-kb search: query segmentation and ranking on Sphinx's own index.
 *
 * Loaded by search.html after Sphinx's searchtools.js and language_data.js.
 * Sphinx still loads searchindex.js, fills the search box and builds the
 * result area (#search-results: a heading, p.search-summary, ul.search);
 * this file replaces how a query is split, matched, ranked and shown.
 * README.md ("Search") gives the design and the measurements behind it.
 *
 * - Splitting: the index is segmented with jieba at build time; the browser
 *   has no jieba, so a run of Chinese characters in the query is split by
 *   forward maximum matching against the index's own terms.  Any query term
 *   is therefore a term the index may hold, whatever jieba made of the text.
 * - Matching: a page matches a query term when the term, or an index term
 *   containing it (for terms of 3+ characters, as Sphinx does), is among the
 *   page's title terms (English or Chinese title) or text terms.
 * - Ranking: pages matching more of the query's terms first; then paper pages
 *   before other pages; then by score, where a title hit outweighs a text
 *   hit and rare terms outweigh common ones.
 * - Showing: each result links to its page, shows the paper's Chinese and
 *   English titles (both are in the index) and, once the result scrolls into
 *   view, a snippet of the page's abstract around the first query word.
 */
"use strict";

const PaperSearch = (() => {
  const WEIGHT = { title: 10, partialTitle: 5, text: 3, partialText: 1 };
  const LONGEST_TERM = 16; // characters tried when matching a Chinese run
  const SNIPPET = 160; // characters of context shown
  const HAN = /\p{Script=Han}/u;
  const ARXIV_ID = /\b\d{4}\.\d{4,5}\b/g;

  let vocabulary = null;
  let chineseTitles = null;

  const index = () => Search._index;
  // Page and anchor names, from tools/layout.py (set by search.html).
  const LAYOUT = window.PAPERKB_LAYOUT;

  const docsOf = (value) =>
    value === undefined ? [] : typeof value === "number" ? [value] : value;

  const terms = () => {
    if (vocabulary === null)
      vocabulary = new Set([
        ...Object.keys(index().terms),
        ...Object.keys(index().titleterms),
      ]);
    return vocabulary;
  };

  /** Forward maximum matching of a run of Han characters against the index terms. */
  const segmentHan = (run) => {
    const words = [];
    let unknown = "";
    const flush = () => {
      // A lone unknown character (的, 和, ...) is not indexed (jieba's single
      // characters are dropped); a longer unknown run may still match inside
      // longer index terms.
      if (unknown.length > 1) words.push(unknown);
      unknown = "";
    };
    for (let at = 0; at < run.length; ) {
      let word = "";
      for (let size = Math.min(LONGEST_TERM, run.length - at); size >= 2; size--) {
        const piece = run.substr(at, size);
        if (terms().has(piece)) {
          word = piece;
          break;
        }
      }
      if (word) {
        flush();
        words.push(word);
        at += word.length;
      } else {
        unknown += run[at];
        at += 1;
      }
    }
    flush();
    return words;
  };

  /**
   * A query -> its search terms: arXiv ids whole, Han runs segmented, other
   * words lower-cased (stemming happens in parse()).
   */
  const split = (query) => {
    const words = [...query.matchAll(ARXIV_ID)].map((m) => m[0]);
    query
      .replace(ARXIV_ID, " ")
      .replace(/(\p{Script=Han}+)/gu, " $1 ")
      .split(/[^\p{Letter}\p{Number}_]+/u)
      .filter((word) => word)
      .forEach((word) => {
        if (HAN.test(word)) words.push(...api.segment(word));
        else words.push(word.toLowerCase());
      });
    return words;
  };

  /** Search terms, each with the index keys to look up (stemmed and as typed). */
  const parse = (query) => {
    const stemmer = new Stemmer();
    const parsed = new Map();
    for (const word of split(query)) {
      if (stopwords.has(word) || /^\d+$/.test(word)) continue;
      const stem = HAN.test(word) ? word : stemmer.stemWord(word);
      if (!parsed.has(stem)) parsed.set(stem, { keys: new Set([stem, word]), word });
    }
    return [...parsed.values()];
  };

  /** doc -> best weight of one search term in that doc. */
  const matchTerm = (term) => {
    const weights = new Map();
    const add = (docs, weight) =>
      docsOf(docs).forEach((doc) => {
        if ((weights.get(doc) || 0) < weight) weights.set(doc, weight);
      });
    const { terms: text, titleterms: title } = index();
    for (const key of term.keys) {
      if (Object.hasOwn(title, key)) add(title[key], WEIGHT.title);
      if (Object.hasOwn(text, key)) add(text[key], WEIGHT.text);
    }
    const key = [...term.keys][0];
    if (key.length > 2) {
      for (const other of Object.keys(title))
        if (other !== key && other.includes(key)) add(title[other], WEIGHT.partialTitle);
      for (const other of Object.keys(text))
        if (other !== key && other.includes(key)) add(text[other], WEIGHT.partialText);
    }
    return weights;
  };

  const isPaper = (doc) => index().docnames[doc].startsWith(LAYOUT.papers);

  /** Ranked results: [{doc, matched, score}], best first. */
  const rank = (searchTerms) => {
    const total = index().docnames.length;
    const found = new Map();
    for (const term of searchTerms) {
      const weights = matchTerm(term);
      const rarity = Math.log(1 + total / (1 + weights.size));
      for (const [doc, weight] of weights) {
        const entry = found.get(doc) || { doc, matched: 0, score: 0 };
        entry.matched += 1;
        entry.score += weight * rarity;
        found.set(doc, entry);
      }
    }
    const title = (doc) => index().titles[doc].toLowerCase();
    return [...found.values()].sort(
      (a, b) =>
        b.matched - a.matched ||
        isPaper(b.doc) - isPaper(a.doc) ||
        b.score - a.score ||
        (title(a.doc) < title(b.doc) ? -1 : title(a.doc) > title(b.doc) ? 1 : 0),
    );
  };

  /** doc -> Chinese title: the title of a paper's section LAYOUT.titleZhId. */
  const chineseTitle = (doc) => {
    if (chineseTitles === null) {
      chineseTitles = new Map();
      for (const [text, places] of Object.entries(index().alltitles))
        for (const [where, anchor] of places)
          if (anchor === LAYOUT.titleZhId && isPaper(where))
            chineseTitles.set(where, text);
    }
    return chineseTitles.get(doc);
  };

  const snippet = (html, words) => {
    const page = new DOMParser().parseFromString(html, "text/html");
    const abstract =
      page.querySelector(`[role="main"] section#${CSS.escape(LAYOUT.abstractId)}`) ||
      page.querySelector('[role="main"]');
    if (!abstract) return null;
    abstract.querySelectorAll("h1, h2, .headerlink, script, style").forEach((el) => el.remove());
    const text = abstract.textContent.replace(/\s+/g, " ").trim();
    const lower = text.toLowerCase();
    const hits = words.map((word) => lower.indexOf(word)).filter((at) => at >= 0);
    const at = hits.length ? Math.min(...hits) : 0;
    const start = Math.max(at - SNIPPET / 4, 0);
    const paragraph = document.createElement("p");
    paragraph.classList.add("context");
    paragraph.textContent =
      (start > 0 ? "…" : "") +
      text.substr(start, SNIPPET).trim() +
      (start + SNIPPET < text.length ? "…" : "");
    return paragraph;
  };

  const highlight = (element, words) => {
    if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED)
      words.forEach((word) => _highlightText(element, word, "highlighted"));
  };

  /** Snippets are fetched (the page itself) only for results a reader sees. */
  const snippets = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const item = entry.target;
      snippets.unobserve(item);
      fetch(item.dataset.page)
        .then((response) => response.text())
        .then((html) => {
          const words = JSON.parse(item.dataset.words);
          const context = snippet(html, words);
          if (context) {
            item.appendChild(context);
            highlight(context, words);
          }
        })
        .catch(() => {}); // a result without a snippet is still a result
    }
  });

  const show = (result, words) => {
    const { docnames, titles } = index();
    const docName = docnames[result.doc];
    const contentRoot = document.documentElement.dataset.content_root;
    const item = document.createElement("li");
    item.classList.add("kind-text", isPaper(result.doc) ? "paperkb-paper" : "paperkb-page");
    const link = item.appendChild(document.createElement("a"));
    link.href = docName + DOCUMENTATION_OPTIONS.LINK_SUFFIX;
    link.dataset.score = result.score.toFixed(2);
    const zh = chineseTitle(result.doc);
    link.textContent = zh || titles[result.doc];
    if (zh) {
      const english = item.appendChild(document.createElement("span"));
      english.classList.add("paperkb-title-en");
      english.textContent = titles[result.doc];
    }
    item.dataset.page = contentRoot + docName + DOCUMENTATION_OPTIONS.FILE_SUFFIX;
    item.dataset.words = JSON.stringify(words);
    Search.output.appendChild(item);
    if (DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY) snippets.observe(item);
  };

  const query = (query) => {
    const searchTerms = parse(query.trim());
    const words = [...new Set(searchTerms.map((term) => term.word))];
    localStorage.setItem("sphinx_highlight_terms", words.join(" "));
    const results = searchTerms.length ? rank(searchTerms) : [];
    const progress = document.getElementById("search-progress");
    if (progress) progress.innerText = "";
    results.forEach((result) => show(result, words));
    Search.stopPulse();
    Search.title.innerText = _("Search Results");
    Search.status.innerText = results.length
      ? Documentation.ngettext(
          "Search finished, found one page matching the search query.",
          "Search finished, found ${resultCount} pages matching the search query.",
          results.length,
        ).replace("${resultCount}", results.length)
      : Documentation.gettext(
          "Your search did not match any documents. Please make sure that all words are spelled correctly and that you've selected enough categories.",
        );
  };

  // segment is a property so that benchmarks/search_variants.py can measure
  // another segmenter (Intl.Segmenter) on the same page.
  const api = { segment: segmentHan, split, parse, rank, query };
  return api;
})();

// Sphinx's search page calls Search.query once the index is loaded.
Search.query = PaperSearch.query;
