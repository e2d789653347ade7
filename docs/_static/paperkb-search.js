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
 * - Glossary: a query naming a glossary term in any of its names (English,
 *   Chinese, abbreviation: window.PAPERKB_SYNONYMS, from glossary.toml) matches
 *   pages holding any of them ("reinforcement learning" finds 强化学习).
 * - Substring hits (an index term containing the query term) count only when
 *   the term has no whole-term hit anywhere, so "vla" never ranks a page by
 *   "vladimir" above the pages that say VLA.
 * - Honesty: a query term that matches nothing is named in the summary.
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
  const ARXIV_ID = /\b(\d{4}\.\d{4,5})(?:v\d+)?\b/g; // a versioned id finds its paper

  let vocabulary = null;
  let chineseTitles = null;

  const index = () => Search._index;
  // Page and anchor names, from tools/layout.py (set by search.html).
  const LAYOUT = window.PAPERKB_LAYOUT;
  // Glossary terms: each a list of names (lower case), any of which stands for the others.
  const SYNONYMS = window.PAPERKB_SYNONYMS || [];

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
    const words = [...query.matchAll(ARXIV_ID)].map((m) => m[1]);
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

  /** The words of a query (or of a glossary name), each with its index keys. */
  const words = (text) => {
    const stemmer = new Stemmer();
    const found = [];
    for (const word of split(text)) {
      if (stopwords.has(word) || /^\d+$/.test(word)) continue;
      const stem = HAN.test(word) ? word : stemmer.stemWord(word);
      found.push({ keys: new Set([stem, word]), word, stem });
    }
    return found;
  };

  /** A glossary name found in the query: the longest first, on word boundaries for Latin names. */
  const findName = (lower) => {
    let best = null;
    for (const group of SYNONYMS)
      for (const name of group) {
        if (best && name.length <= best.name.length) continue;
        const at = lower.indexOf(name);
        if (at < 0) continue;
        const before = lower[at - 1] || " ";
        const after = lower[at + name.length] || " ";
        const latin = /[a-z0-9]/;
        if (!HAN.test(name) && (latin.test(before) || latin.test(after))) continue;
        best = { name, group, at };
      }
    return best;
  };

  /**
   * Search terms.  A plain term has index keys (stemmed and as typed); a glossary
   * term has alternatives (one per name of the term), each a list of plain
   * terms that must all match.
   */
  const parse = (query) => {
    let rest = query.toLowerCase();
    const parsed = new Map();
    for (let found = findName(rest); found; found = findName(rest)) {
      rest = rest.slice(0, found.at) + " " + rest.slice(found.at + found.name.length);
      const alternatives = found.group.map(words).filter((list) => list.length);
      if (!parsed.has(found.group[0]))
        parsed.set(found.group[0], {
          word: found.name,
          alternatives,
          // every name is looked for in snippets; short Latin ones (rl) would light up inside words
          shown: alternatives.flat().filter((t) => HAN.test(t.word) || t.word.length > 2),
        });
    }
    for (const term of words(rest))
      if (!parsed.has(term.stem)) parsed.set(term.stem, term);
    return [...parsed.values()];
  };

  /** doc -> weight of a search term: a glossary term matches where any of its names does. */
  const matchTerm = (term) => {
    if (!term.alternatives) return matchPlain(term);
    const weights = new Map();
    for (const alternative of term.alternatives) {
      const parts = alternative.map(matchPlain);
      for (const [doc, weight] of parts[0]) {
        const all = Math.min(weight, ...parts.slice(1).map((part) => part.get(doc) || 0));
        if (all > 0 && (weights.get(doc) || 0) < all) weights.set(doc, all);
      }
    }
    return weights;
  };

  /** doc -> best weight of one plain search term in that doc. */
  const matchPlain = (term) => {
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
    if (key.length > 2 && weights.size === 0) {
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
      term.hits = weights.size;
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

  /** Says which query terms matched nothing: "没有找到「量子」; 以下结果只匹配「计算」". */
  const explainMissing = (searchTerms) => {
    const old = document.getElementById("paperkb-missing");
    if (old) old.remove();
    const missing = searchTerms.filter((term) => !term.hits).map((term) => term.word);
    const matched = searchTerms.filter((term) => term.hits).map((term) => term.word);
    if (!missing.length || !matched.length) return;
    const note = document.createElement("p");
    note.id = "paperkb-missing";
    note.className = "paperkb-missing";
    const quote = (list) => list.map((word) => `「${word}」`).join("");
    note.textContent =
      `没有找到${quote(missing)}；以下结果只匹配${quote(matched)}。` +
      ` No page contains ${missing.join(", ")}; the results below match only ${matched.join(", ")}.`;
    Search.output.parentNode.insertBefore(note, Search.output);
  };

  const query = (query) => {
    const searchTerms = parse(query.trim());
    const words = [
      ...new Set(searchTerms.flatMap((term) => (term.shown ? term.shown.map((t) => t.word) : [term.word]))),
    ];
    localStorage.setItem("sphinx_highlight_terms", words.join(" "));
    const results = searchTerms.length ? rank(searchTerms) : [];
    const progress = document.getElementById("search-progress");
    if (progress) progress.innerText = "";
    results.forEach((result) => show(result, words));
    Search.stopPulse();
    Search.title.innerText = _("Search Results");
    explainMissing(searchTerms);
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
