/*
 * paper-kb search: query segmentation and ranking on Sphinx's own index.
 *
 * Loaded by search.html after Sphinx's searchtools.js and language_data.js.
 * Sphinx still fills the search box and builds the result area
 * (#search-results: a heading, p.search-summary, ul.search); this file
 * replaces how a query is split, matched, ranked and shown, and where the
 * index comes from.  tools/DESIGN.md ("Search") gives the design and measurements.
 *
 * - Loading: the page loads _search/index.js (page names, vocabulary), not
 *   Sphinx's whole searchindex.js; a query then loads the pieces holding its
 *   words' pages (terms-<k>.js, k a hash of the word) and the titles of the
 *   results in view (pages-<c>.js).  tools/sphinxext/searchshards.py writes them.
 *   A terms piece is [term, pages] pairs, kept in a Map: no term is special
 *   (in an object, "__proto__" or "constructor" would be).
 * - Length: a query is searched on its first LONGEST_QUERY characters (the
 *   summary says so), and parsing is linear in the query's length: a crafted
 *   link cannot freeze the tab.
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
 * - Honesty: the summary counts the pages matching every query term apart
 *   from those matching only some, and a term that matches nothing is named
 *   beneath it.
 * - Showing: each result links to its page, shows the paper's Chinese and
 *   English titles (both are in the index) and, once the result scrolls into
 *   view, a snippet of the page's abstract around the first query word.
 *   The first results are shown with their titles; further down, titles
 *   arrive as the results scroll into view.
 * - Highlighting: opening a result (a click, a middle click) notes in
 *   localStorage the query words and the page they are for; paperkb.js hands
 *   them to sphinx_highlight.js on that page only, with a button to hide
 *   them.  Sphinx's own search stores the words for whatever page opens next,
 *   and the links stay clean (no ?highlight= to copy or bookmark).
 */
"use strict";

const PaperSearch = (() => {
  // synonym: a hit on another name of a glossary term than the one typed counts a little less
  const WEIGHT = { title: 10, partialTitle: 5, text: 3, partialText: 1, synonym: 0.8 };
  const LONGEST_TERM = 16; // characters tried when matching a Chinese run
  const SNIPPET = 160; // characters of context shown
  const HAN = /\p{Script=Han}/u;
  const ARXIV_ID = /\b(\d{4}\.\d{4,5})(?:v\d+)?\b/g; // a versioned id finds its paper
  const SHOWN_AT_ONCE = 20; // results shown with their titles before the search is "finished"
  const LONGEST_QUERY = 200; // characters searched; the summary says when a query was cut
  const HIGHLIGHT = "paperkb-highlight"; // localStorage: {page, words} of the result opened (paperkb.js)

  let vocabulary = null;

  // _search/index.js: {docnames, vocabulary, shards, pagesPerPiece, versions}
  const index = () => Search._index;
  // Page and anchor names, from tools/layout.py (set by search.html).
  const LAYOUT = window.PAPERKB_LAYOUT;
  // Glossary terms: each a list of names (lower case), any of which stands for the others.
  const SYNONYMS = window.PAPERKB_SYNONYMS || [];

  const terms = () => {
    if (vocabulary === null) vocabulary = new Set(index().vocabulary);
    return vocabulary;
  };

  /* The index's pieces: each is a script that calls addPiece(name, data). */
  const pieces = new Map(); // name -> Promise of its data
  const arrived = new Map(); // name -> resolve

  const piece = (kind, number) => {
    const name = `${kind}-${number}`;
    if (!pieces.has(name)) {
      const script = document.createElement("script");
      const root = document.documentElement.dataset.content_root;
      script.src = `${root}${LAYOUT.searchDir}/${name}.js?v=${index().versions[kind][number]}`;
      pieces.set(
        name,
        new Promise((resolve, reject) => {
          arrived.set(name, resolve);
          script.onerror = () => reject(new Error(`${script.src} could not be loaded`));
        }),
      );
      document.head.appendChild(script);
    }
    return pieces.get(name);
  };

  // A terms piece is [term, [title pages, text pages]] pairs; a pages piece, rows of titles.
  const addPiece = (name, data) => {
    const resolve = arrived.get(name);
    if (resolve) resolve(name.startsWith("terms-") ? new Map(data) : data);
  };

  /** The terms piece of a term: 32-bit FNV-1a of its UTF-8 bytes (searchshards.fnv1a). */
  const encoder = new TextEncoder();
  const shardOf = (term) => {
    let hash = 0x811c9dc5;
    for (const byte of encoder.encode(term)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return hash % index().shards;
  };

  /** [pages with the term in their title, pages with it in their text], or undefined. */
  const postings = async (term) => {
    return (await piece("terms", shardOf(term))).get(term);
  };

  /** [English title, Chinese title or ""] of a page. */
  const titlesOf = async (doc) => {
    const per = index().pagesPerPiece;
    return (await piece("pages", Math.floor(doc / per)))[doc % per];
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

  /** Every glossary name, longest first (in glossary order among names of one length). */
  const NAMES = SYNONYMS.flatMap((group) =>
    group.filter((name) => name).map((name) => ({ name, group, latin: !HAN.test(name) })),
  ).sort((a, b) => b.name.length - a.name.length);
  const LATIN = /[a-z0-9]/;

  /**
   * The glossary names in a (lower-case) query, and the query with each of them
   * blanked out by spaces: the longest name wins, a Latin name counts only on
   * word boundaries.  Each name is looked for once, from left to right, and the
   * query is rebuilt once per name found: time linear in the query's length.
   */
  const findNames = (lower) => {
    const found = [];
    let rest = lower;
    for (const { name, group, latin } of NAMES) {
      const starts = [];
      let end = -1; // where the last occurrence taken ends: blank, on the next one's left
      for (let at = rest.indexOf(name); at >= 0; at = rest.indexOf(name, at)) {
        const before = at === end ? " " : rest[at - 1] || " ";
        const after = rest[at + name.length] || " ";
        if (latin && (LATIN.test(before) || LATIN.test(after))) {
          at += 1;
          continue;
        }
        starts.push(at);
        at = end = at + name.length;
      }
      if (!starts.length) continue;
      found.push({ name, group });
      const blank = " ".repeat(name.length);
      const parts = [];
      let from = 0;
      for (const at of starts) {
        parts.push(rest.slice(from, at), blank);
        from = at + name.length;
      }
      parts.push(rest.slice(from));
      rest = parts.join("");
    }
    return { found, rest };
  };

  /**
   * Search terms.  A plain term has index keys (stemmed and as typed); a glossary
   * term has alternatives (one per name of the term), each a list of plain
   * terms that must all match.
   */
  const parse = (query) => {
    const { found, rest } = findNames(query.toLowerCase());
    const parsed = new Map();
    for (const { name, group } of found) {
      if (parsed.has(group[0])) continue; // the group's longest name in the query is its word
      const alternatives = group
        .map((other) => Object.assign(words(other), { typed: other === name }))
        .filter((list) => list.length);
      parsed.set(group[0], {
        word: name,
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
  const matchTerm = async (term) => {
    if (!term.alternatives) return matchPlain(term);
    const weights = new Map();
    for (const alternative of term.alternatives) {
      const parts = await Promise.all(alternative.map(matchPlain));
      const factor = alternative.typed ? 1 : WEIGHT.synonym;
      for (const [doc, weight] of parts[0]) {
        const all = factor * Math.min(weight, ...parts.slice(1).map((part) => part.get(doc) || 0));
        if (all > 0 && (weights.get(doc) || 0) < all) weights.set(doc, all);
      }
    }
    return weights;
  };

  /** doc -> best weight of one plain search term in that doc. */
  const matchPlain = async (term) => {
    const weights = new Map();
    const add = (docs, weight) =>
      docs.forEach((doc) => {
        if ((weights.get(doc) || 0) < weight) weights.set(doc, weight);
      });
    const addAll = (found, titleWeight, textWeight) =>
      found.forEach((pages) => {
        if (pages === undefined) return;
        add(pages[0], titleWeight);
        add(pages[1], textWeight);
      });
    addAll(await Promise.all([...term.keys].map(postings)), WEIGHT.title, WEIGHT.text);
    const key = [...term.keys][0];
    if (key.length > 2 && weights.size === 0) {
      const containing = [...terms()].filter((other) => other !== key && other.includes(key));
      addAll(await Promise.all(containing.map(postings)), WEIGHT.partialTitle, WEIGHT.partialText);
    }
    return weights;
  };

  const isPaper = (doc) => index().docnames[doc].startsWith(LAYOUT.papers);

  /** Ranked results: [{doc, matched, score}], best first. */
  const rank = async (searchTerms) => {
    const total = index().docnames.length;
    const found = new Map();
    const matches = await Promise.all(searchTerms.map(matchTerm));
    searchTerms.forEach((term, at) => {
      const weights = matches[at];
      term.hits = weights.size;
      const rarity = Math.log(1 + total / (1 + weights.size));
      for (const [doc, weight] of weights) {
        const entry = found.get(doc) || { doc, matched: 0, score: 0 };
        entry.matched += 1;
        entry.score += weight * rarity;
        found.set(doc, entry);
      }
    });
    // Ties: the later page name first (papers are named by arXiv id: the newer paper).
    return [...found.values()].sort(
      (a, b) =>
        b.matched - a.matched ||
        isPaper(b.doc) - isPaper(a.doc) ||
        b.score - a.score ||
        b.doc - a.doc,
    );
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

  /** Gives a result its titles: the Chinese one as the link, the English one beneath. */
  const fill = async (item) => {
    if (item.dataset.filled) return;
    item.dataset.filled = "1";
    const [title, zh] = await titlesOf(Number(item.dataset.doc));
    const link = item.querySelector("a");
    link.textContent = zh || title;
    if (zh) {
      const english = document.createElement("span");
      english.classList.add("paperkb-title-en");
      english.textContent = title;
      link.after(english);
    }
  };

  /** Titles and snippets (the page itself) are fetched only for results a reader sees. */
  const inView = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const item = entry.target;
      inView.unobserve(item);
      fill(item).catch(() => {}); // the link still shows the page's name
      if (!DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY) continue;
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
    const docName = index().docnames[result.doc];
    const contentRoot = document.documentElement.dataset.content_root;
    const item = document.createElement("li");
    item.classList.add("kind-text", isPaper(result.doc) ? "paperkb-paper" : "paperkb-page");
    item.dataset.doc = result.doc;
    const link = item.appendChild(document.createElement("a"));
    link.href = docName + DOCUMENTATION_OPTIONS.LINK_SUFFIX;
    const remember = () => {
      try {
        localStorage.setItem(HIGHLIGHT, JSON.stringify({ page: link.href, words: words.join(" ") }));
      } catch (error) {
        // private mode: the page opens without highlighting
      }
    };
    link.addEventListener("click", remember);
    link.addEventListener("auxclick", remember);
    link.dataset.score = result.score.toFixed(2);
    link.textContent = docName.split("/").pop(); // until its titles arrive
    item.dataset.page = contentRoot + docName + DOCUMENTATION_OPTIONS.FILE_SUFFIX;
    item.dataset.words = JSON.stringify(words);
    Search.output.appendChild(item);
    return item;
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

  /**
   * The part of a query that is searched: its first LONGEST_QUERY characters
   * (code points), without the start of a Latin word cut in two; null when the
   * whole query is searched.
   */
  const WORD = /[\p{Letter}\p{Number}_]/u;
  const shorten = (query) => {
    let end = 0;
    let count = 0;
    for (const character of query) {
      if (count === LONGEST_QUERY) break;
      end += character.length;
      count += 1;
    }
    if (end >= query.length) return null;
    const kept = query.slice(0, end);
    const next = String.fromCodePoint(query.codePointAt(end));
    const partial = /[\p{Letter}\p{Number}_]+$/u.exec(kept);
    if (partial && partial.index > 0 && WORD.test(next) && !HAN.test(next) && !HAN.test(partial[0]))
      return kept.slice(0, partial.index);
    return kept;
  };

  const SHORTENED =
    `查询超过 ${LONGEST_QUERY} 个字符，只搜索了前 ${LONGEST_QUERY} 个字符。` +
    `The query is longer than ${LONGEST_QUERY} characters; only its first ${LONGEST_QUERY} were searched.`;

  const run = async (query) => {
    const whole = query.trim();
    const shortened = shorten(whole);
    const searchTerms = parse(shortened === null ? whole : shortened);
    const words = [
      ...new Set(searchTerms.flatMap((term) => (term.shown ? term.shown.map((t) => t.word) : [term.word]))),
    ];
    const results = searchTerms.length ? await rank(searchTerms) : [];
    const items = results.map((result) => show(result, words));
    await Promise.all(items.slice(0, SHOWN_AT_ONCE).map(fill));
    // Watched once the first titles are in: at full height, fewer results are in view.
    items.forEach((item) => inView.observe(item));
    const progress = document.getElementById("search-progress");
    if (progress) progress.innerText = "";
    Search.stopPulse();
    Search.title.innerText = _("Search Results");
    explainMissing(searchTerms);
    const finished = summary(results, searchTerms.length);
    Search.status.innerText = shortened === null ? finished : `${finished} ${SHORTENED}`;
  };

  const pages = (count, verb) => `${count} ${count === 1 ? "page" : "pages"} ${verb}${count === 1 ? "es" : ""}`;

  /**
   * How many pages match: Sphinx's sentence when every result matches every
   * query term, else the pages matching all of them and those matching only some.
   */
  const summary = (results, termCount) => {
    if (!results.length)
      return Documentation.gettext(
        "Your search did not match any documents. Please make sure that all words are spelled correctly and that you've selected enough categories.",
      );
    const all = results.filter((result) => result.matched === termCount).length;
    const some = results.length - all;
    if (!some)
      return Documentation.ngettext(
        "Search finished, found one page matching the search query.",
        "Search finished, found ${resultCount} pages matching the search query.",
        all,
      ).replace("${resultCount}", all);
    if (!all)
      return (
        `搜索完成：没有页面匹配全部词语，${some} 个页面只匹配其中一部分。` +
        ` Search finished: no page matches every word; ${pages(some, "match")} only some of them.`
      );
    return (
      `搜索完成：${all} 个页面匹配全部词语，另有 ${some} 个页面只匹配其中一部分。` +
      ` Search finished: ${pages(all, "match")} every word; ${some} more only some of them.`
    );
  };

  const query = (query) =>
    run(query).catch((error) => {
      Search.stopPulse();
      Search.title.innerText = _("Search Results");
      Search.status.innerText = `搜索索引未能加载，请刷新页面。The search index could not be loaded; please reload the page. (${error.message})`;
    });

  // segment is a property so that benchmarks/search_variants.py can measure
  // another segmenter (Intl.Segmenter) on the same page.
  const api = { segment: segmentHan, split, parse, shorten, rank, query, addPiece };
  return api;
})();

// Sphinx's search page calls Search.query once the index is loaded.
Search.query = PaperSearch.query;

// Without a query, the search page's one box (in the top bar) is ready for typing.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector('form[role="search"] input[name="q"]');
  if (box && !new URLSearchParams(window.location.search).get("q")) box.focus();
});
