// Search page (/tim-kiem/): Pagefind's JS API behind a plain, accessible form.
// - Nothing of the index is fetched until someone types, searches or filters: the filters' whole-site
//   counts come with the page. The counts within results need Pagefind's filter chunks; they are fetched
//   after the results are on screen (after typing, once it has paused), so they never delay them.
// - Queries are normalised to NFC (phones and macOS may type NFD).
// - Query and filters live in the URL (?q=…&linh-vuc=…&xa=…) so a result list can be shared and other
//   sites can link straight to a search; a query in the URL runs at once.
// - Choosing filters without words lists every matching profile (browsing by facets).
// - Offline, a search whose index chunks the phone kept works; one that needs others says so at once.
(function () {
  "use strict";
  var form = document.getElementById("tim-kiem");
  if (!form) return;
  var input = document.getElementById("tim-kiem-q");
  var filterBox = document.getElementById("tim-kiem-bo-loc");
  var statusLine = document.getElementById("tim-kiem-trang-thai");
  var list = document.getElementById("tim-kiem-ket-qua");
  var moreButton = document.getElementById("tim-kiem-them");
  var PAGE_SIZE = 10;

  // The tables this script shares with the index, written into the page by the generator
  // (generator/portal/search_filters.py): [URL parameter, Pagefind filter name] in display order, and
  // the prefix of the id that carries a result's thumbnail.
  var TABLES = JSON.parse(document.getElementById("tim-kiem-bang").textContent);
  var FILTERS = TABLES.filters;
  var THUMB_ANCHOR = TABLES.thumb_anchor;
  var selected = {};   // filter name → array of values
  var pagefind = null;
  var allCounts = JSON.parse(document.getElementById("tim-kiem-so-luong").textContent);
  var filtersLoaded = false;
  var results = [];
  var shown = 0;
  var generation = 0;

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    input.value = (params.get("q") || "").normalize("NFC");
    selected = {};
    FILTERS.forEach(function (pair) {
      var values = params.getAll(pair[0]);
      if (values.length) selected[pair[1]] = values.map(function (v) { return v.normalize("NFC"); });
    });
  }

  function writeUrl() {
    var params = new URLSearchParams();
    var term = input.value.trim();
    if (term) params.set("q", term);
    FILTERS.forEach(function (pair) {
      (selected[pair[1]] || []).forEach(function (value) { params.append(pair[0], value); });
    });
    var query = params.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  function loadPagefind() {
    if (!pagefind) {
      var bundle = new URL(form.getAttribute("data-bundle"), window.location.href).href;
      pagefind = import(bundle + "pagefind.js").then(function (module) {
        return module.options({ excerptLength: 28, ranking: { diacriticSimilarity: 1.0 } }).then(function () {
          module.init();  // its program and list of pages now, without waiting for the first search
          return module;
        });
      });
    }
    return pagefind;
  }

  function hasFilters() {
    return Object.keys(selected).some(function (name) { return selected[name].length; });
  }

  function text(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (content !== undefined) el.textContent = content;
    return el;
  }

  // Pagefind's excerpt is HTML with <mark> around matches. Rebuild it from text nodes and marks only,
  // so that nothing else an editor typed can ever become markup here.
  function excerptNode(html) {
    var out = text("p", "guong-search__excerpt");
    var doc = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
    doc.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") out.appendChild(text("mark", "", node.textContent));
      else out.appendChild(document.createTextNode(node.textContent));
    });
    return out;
  }

  // `counts`: results per value within the current results; `widen`: per value for the words alone,
  // shown in a group that already has a choice, since choosing another value there widens the search.
  function renderFilters(counts, widen) {
    filterBox.textContent = "";
    FILTERS.forEach(function (pair) {
      var name = pair[1];
      var chosen = selected[name] || [];
      var source = (chosen.length ? widen : counts)[name] || {};
      var values = Object.keys(source).filter(function (v) { return source[v] > 0 || chosen.indexOf(v) >= 0; });
      chosen.forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); });
      if (!values.length) return;
      values.sort(name === "Năm"
        ? function (a, b) { return b.localeCompare(a); }
        : function (a, b) { return a.localeCompare(b, "vi"); });
      var fieldset = text("fieldset", "guong-search__filter");
      fieldset.appendChild(text("legend", "", name));
      values.forEach(function (value, index) {
        var id = "loc-" + pair[0] + "-" + index;
        var label = document.createElement("label");
        label.setAttribute("for", id);
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = id;
        box.name = pair[0];
        box.value = value;
        box.checked = chosen.indexOf(value) >= 0;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + value + " "));
        label.appendChild(text("span", "guong-count", String(source[value] || 0)));
        fieldset.appendChild(label);
      });
      filterBox.appendChild(fieldset);
    });
  }

  // The thumbnail's path comes as the id of an empty element, not as metadata, which Pagefind would make
  // searchable.
  function thumbnail(data) {
    var anchor = (data.anchors || []).filter(function (a) { return a.id.indexOf(THUMB_ANCHOR) === 0; })[0];
    return anchor ? anchor.id.slice(THUMB_ANCHOR.length) : "";
  }

  // Each result's data is a small file of its own; all of a batch are fetched at once, and each result is
  // shown as soon as it and those above it have arrived, so the first is on screen before the last.
  function renderMore() {
    var mine = generation;
    var batch = results.slice(shown, shown + PAGE_SIZE);
    shown += batch.length;
    moreButton.hidden = shown >= results.length;
    return batch.map(function (r) { return r.data(); }).reduce(function (previous, loading) {
      return previous.then(function () { return loading; }).then(function (data) {
        if (mine !== generation) return;
        var item = text("li", "guong-search__result");
        var link = document.createElement("a");
        link.href = data.url;
        var thumb = thumbnail(data);
        if (thumb) {
          var img = document.createElement("img");
          img.src = new URL(thumb, new URL(data.url, window.location.href)).href;
          img.alt = "";
          img.width = 120;
          img.height = 80;
          img.loading = "lazy";
          img.className = "guong-search__thumb";
          item.appendChild(img);
        }
        link.textContent = data.meta.title || data.url;
        var heading = text("h2", "guong-search__title");
        heading.appendChild(link);
        item.appendChild(heading);
        item.appendChild(text("p", "guong-search__meta",
          [data.meta.place, data.meta.field, data.meta.year].filter(Boolean).join(" · ")));
        item.appendChild(excerptNode(data.excerpt || ""));
        list.appendChild(item);
      });
    }, Promise.resolve());
  }

  function showCounts(counts, widen, scope) {
    renderFilters(counts, widen);
    filterBox.setAttribute("data-so-luong", scope);
  }

  // `typed`: started by a pause in typing (rather than Enter, a filter or a link with ?q=).
  function run(typed) {
    var mine = ++generation;
    var term = input.value.normalize("NFC").trim();
    writeUrl();
    if (!term && !hasFilters()) {
      results = []; shown = 0; list.textContent = ""; moreButton.hidden = true;
      statusLine.textContent = "";
      showCounts(allCounts, allCounts, "toan-bo");
      return Promise.resolve();
    }
    // Several values of one filter widen the search (any of them); different filters narrow it.
    var filters = {};
    Object.keys(selected).forEach(function (name) { filters[name] = { any: selected[name] }; });
    return loadPagefind().then(function (pf) {
      return pf.search(term || null, { filters: filters }).then(function (search) {
        if (mine !== generation || !search) return;
        results = search.results; shown = 0; list.textContent = "";
        statusLine.textContent = results.length
          ? results.length + " kết quả" + (term ? " cho “" + term + "”" : "")
          : "Không tìm thấy kết quả" + (term ? " cho “" + term + "”" : "") + ".";
        if (filtersLoaded) showCounts(search.filters, search.totalFilters, "ket-qua");
        return renderMore().then(function () {
          if (!filtersLoaded) loadCounts(pf, mine, term, filters, typed ? COUNTS_PAUSE_MS : 0);
        });
      });
    }).catch(function () {
      if (mine !== generation) return;
      if (navigator.onLine === false) {
        // Offline, the service worker answers at once for what it has not kept: the search fails at
        // once rather than waiting. Pagefind remembers a chunk it could not fetch; start it afresh, so
        // that the same search works again once the phone is back online.
        statusLine.textContent = OFFLINE_MESSAGE;
        forgetPagefind();
      } else {
        statusLine.textContent = "Không tải được bộ tìm kiếm. Hãy thử lại sau.";
      }
    });
  }
  var OFFLINE_MESSAGE = "Không có kết nối mạng: tìm kiếm này cần dữ liệu chưa được lưu trên máy. "
    + "Hãy thử lại khi có mạng.";
  function forgetPagefind() {
    var loading = pagefind;
    pagefind = null;
    filtersLoaded = false;
    if (loading) loading.then(function (module) { return module.destroy(); }).catch(function () {});
  }

  // The counts within the results need all of Pagefind's filter chunks (the largest download of a search,
  // fetched once). After typing they wait until it has paused, so that the results of a word still being
  // typed never fetch them.
  var countsTimer = null;
  var COUNTS_PAUSE_MS = 1000;
  function loadCounts(pf, mine, term, filters, delay) {
    window.clearTimeout(countsTimer);
    countsTimer = window.setTimeout(function () {
      pf.filters().then(function () {
        filtersLoaded = true;
        if (mine !== generation) return;
        return pf.search(term || null, { filters: filters }).then(function (again) {
          if (mine === generation && again) showCounts(again.filters, again.totalFilters, "ket-qua");
        });
      }).catch(function () {});
    }, delay);
  }

  // The first keystroke starts Pagefind itself (its program and the list of pages, no words yet); while
  // someone types, the index chunks for the words so far are fetched (Pagefind's preload), so that the
  // search, once typing pauses, has little left to download.
  var timer = null;
  var TYPING_PAUSE_MS = 80;
  // A last word that cannot be a whole syllable yet is most likely still being typed: one letter, or
  // letters without a vowel ("th", "ng", "Kr" on the way to "thủy", "Nguyễn", "Kret": every Vietnamese
  // syllable has one). Searching it would fetch the index chunks of every word so begun, for results
  // nobody waits for; it is searched only after a longer pause (so "HTX" still works, a little later).
  var UNFINISHED_WORD_PAUSE_MS = 600;
  function lastWord(term) {
    return term.slice(term.search(/\S*$/));
  }
  function unfinished(word) {
    // NFD splits ă â ê ô ơ ư and tone marks off their base letters a e i o u y. A number is whole.
    return word.length < 2 || !/[aeiouy0-9]/i.test(word.normalize("NFD"));
  }
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var term = input.value.normalize("NFC").trim();
    var word = lastWord(term);
    loadPagefind().then(function (pf) {
      // Not for a last word shorter than 3 letters either: "ha" would fetch the chunks of every word so begun.
      if (word.length >= 3 && !unfinished(word)) pf.preload(term);
    }).catch(function () {});
    window.clearTimeout(countsTimer);
    timer = window.setTimeout(function () { run(true); },
                              term && unfinished(word) ? UNFINISHED_WORD_PAUSE_MS : TYPING_PAUSE_MS);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  filterBox.addEventListener("change", function (event) {
    var box = event.target;
    var name = null;
    FILTERS.forEach(function (pair) { if (pair[0] === box.name) name = pair[1]; });
    if (!name) return;
    var values = selected[name] || [];
    if (box.checked && values.indexOf(box.value) < 0) values.push(box.value);
    if (!box.checked) values = values.filter(function (v) { return v !== box.value; });
    if (values.length) selected[name] = values; else delete selected[name];
    run();
  });
  moreButton.addEventListener("click", function () { renderMore(); });

  readUrl();
  showCounts(allCounts, allCounts, "toan-bo");
  if (input.value || hasFilters()) run();
})();
