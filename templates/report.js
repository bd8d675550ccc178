// archaudit HTML report: filtering, sorting and the links from the pictures
// to the findings. A constant script: it holds no report data, reads the
// page's data- attributes, and only sets hidden/open, classes and text.
// The filter and sort state is kept in the fragment (#f:sev=4,3&q=...&sort=
// -resource), so a view can be linked, and opening such a link applies it.
(function () {
  "use strict";
  var doc = document;
  var section = doc.getElementById("findings");
  var form = doc.getElementById("filters");
  if (!section || !form) { return; }
  var slice = Array.prototype.slice;
  var q = doc.getElementById("f-q");
  var account = doc.getElementById("f-account");
  var area = doc.getElementById("f-area");
  var rule = doc.getElementById("f-rule");
  var state = doc.getElementById("f-state");
  var sup = doc.getElementById("f-sup");
  var sevs = slice.call(form.querySelectorAll("input[name=sev]"));
  var count = doc.getElementById("f-count");
  var total = Number(section.getAttribute("data-total"));
  var totalSup = Number(section.getAttribute("data-suppressed"));

  // Rows and groups, read once.
  var groups = slice.call(doc.querySelectorAll("#groups details.group")).map(function (el) {
    var summary = el.querySelector("summary");
    var g = {
      el: el,
      rule: el.getAttribute("data-rule"),
      area: el.getAttribute("data-area"),
      n: summary.querySelector(".n"),
      head: summary.textContent.toLowerCase(),
      tbody: el.querySelector("tbody"),
      rows: []
    };
    g.rows = slice.call(g.tbody.rows).map(function (tr, i) {
      return {
        el: tr,
        i: i,
        s: tr.getAttribute("data-s"),
        a: tr.getAttribute("data-a"),
        st: tr.getAttribute("data-st") || "",
        sup: tr.classList.contains("sup"),
        text: null,
        hidden: tr.hidden
      };
    });
    return g;
  });

  function rowText(r) {
    if (r.text === null) { r.text = r.el.textContent.toLowerCase(); }
    return r.text;
  }

  function read() {
    var sev = {};
    sevs.forEach(function (b) { if (b.checked) { sev[b.value] = true; } });
    return {
      q: q.value.trim().toLowerCase(),
      sev: sev,
      account: account.value,
      area: area.value,
      rule: rule.value,
      state: state ? state.value : "",
      sup: sup.checked
    };
  }

  function isDefault(f) {
    return !f.q && sevs.every(function (b) { return b.checked; }) && !f.account &&
      !f.area && !f.rule && !f.state;
  }

  function apply() {
    var f = read();
    var shown = 0;
    var shownSup = 0;
    var narrowed = !isDefault(f);
    groups.forEach(function (g) {
      var groupOk = (!f.area || g.area === f.area) && (!f.rule || g.rule === f.rule);
      var headHit = f.q && g.head.indexOf(f.q) >= 0;
      var n = 0;
      var nSup = 0;
      g.rows.forEach(function (r) {
        var ok = groupOk && f.sev[r.s] === true &&
          (!f.account || r.a === f.account) &&
          (!f.state || r.st === f.state) &&
          (f.sup || !r.sup) &&
          (!f.q || headHit || rowText(r).indexOf(f.q) >= 0);
        if (r.hidden === ok) { r.el.hidden = !ok; r.hidden = !ok; }
        if (ok) { if (r.sup) { nSup += 1; } else { n += 1; } }
      });
      g.el.hidden = n + nSup === 0;
      g.n.textContent = String(n);
      if (narrowed && n + nSup > 0 && n + nSup <= 50) { g.el.open = true; }
      shown += n;
      shownSup += nSup;
    });
    var text = narrowed ? "Showing " + shown + " of " + total + " findings" : total + " findings";
    if (totalSup > 0) {
      text += f.sup ? ", " + shownSup + " suppressed shown" : " (" + totalSup + " suppressed, hidden)";
    }
    count.textContent = text;
    section.setAttribute("data-shown", String(shown));
    writeHash(f);
  }

  function writeHash(f) {
    var parts = [];
    if (f.q) { parts.push("q=" + encodeURIComponent(q.value.trim())); }
    if (!sevs.every(function (b) { return b.checked; })) {
      parts.push("sev=" + sevs.filter(function (b) { return b.checked; })
        .map(function (b) { return b.value; }).join(","));
    }
    if (f.account) { parts.push("account=" + encodeURIComponent(f.account)); }
    if (f.area) { parts.push("area=" + encodeURIComponent(f.area)); }
    if (f.rule) { parts.push("rule=" + encodeURIComponent(f.rule)); }
    if (f.state) { parts.push("state=" + encodeURIComponent(f.state)); }
    if (f.sup) { parts.push("sup=1"); }
    if (sortKey !== "sev" || sortDir !== -1) {
      parts.push("sort=" + (sortDir < 0 ? "-" : "") + sortKey);
    }
    var hash = parts.length ? "#f:" + parts.join("&") : "";
    if (hash === location.hash || (!hash && location.hash.indexOf("#f:") !== 0)) { return; }
    try {
      history.replaceState(null, "", hash || location.pathname + location.search);
    } catch (e) {
      // Some browsers refuse replaceState on file: URLs; the view still works.
    }
  }

  function setSelect(select, value) {
    if (!select) { return; }
    var known = slice.call(select.options).some(function (o) { return o.value === value; });
    select.value = known ? value : "";
  }

  function readHash() {
    var hash = location.hash;
    if (hash.indexOf("#f:") !== 0) { return false; }
    var params = {};
    hash.slice(3).split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at > 0) {
        try {
          params[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
        } catch (e) {
          // A malformed escape in a hand-edited link: ignore that parameter.
        }
      }
    });
    q.value = params.q || "";
    var wanted = params.sev ? params.sev.split(",") : null;
    sevs.forEach(function (b) { b.checked = !wanted || wanted.indexOf(b.value) >= 0; });
    setSelect(account, params.account || "");
    setSelect(area, params.area || "");
    setSelect(rule, params.rule || "");
    setSelect(state, params.state || "");
    sup.checked = params.sup === "1";
    var sort = params.sort || "-sev";
    var k = sort.replace(/^-/, "");
    if (k in columns) { sortBy(k, sort.charAt(0) === "-" ? -1 : 1); }
    return true;
  }

  var timer = null;
  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, groups.length > 200 ? 150 : 60);
  });
  form.addEventListener("change", function (ev) { if (ev.target !== q) { apply(); } });
  window.addEventListener("hashchange", function () { if (readHash()) { apply(); } });

  doc.getElementById("f-reset").addEventListener("click", function () {
    q.value = "";
    sevs.forEach(function (b) { b.checked = true; });
    [account, area, rule, state].forEach(function (s) { if (s) { s.value = ""; } });
    sup.checked = false;
    apply();
  });
  function openAll(open) {
    groups.forEach(function (g) { if (!g.el.hidden) { g.el.open = open; } });
  }
  doc.getElementById("f-open").addEventListener("click", function () { openAll(true); });
  doc.getElementById("f-close").addEventListener("click", function () { openAll(false); });

  // Sorting: a column header sorts the rows of every group by that column.
  var sortKey = "sev";
  var sortDir = -1;
  var columns = { sev: 0, account: 1, region: 2, resource: 3, message: 4, tf: 5 };
  function key(r, k) {
    if (k === "sev") { return Number(r.s); }
    if (!r.keys) { r.keys = {}; }
    if (!(k in r.keys)) {
      var cell = r.el.cells[columns[k]];
      r.keys[k] = cell ? cell.textContent.toLowerCase() : "";
    }
    return r.keys[k];
  }
  // Sorts by column k: in direction dir, else the other way round when k
  // is already the sort column, else descending severity / ascending text.
  function sortBy(k, dir) {
    if (dir) {
      if (k === sortKey && dir === sortDir) { return; }
      sortDir = dir;
    } else {
      sortDir = k === sortKey ? -sortDir : (k === "sev" ? -1 : 1);
    }
    sortKey = k;
    groups.forEach(function (g) {
      g.rows.sort(function (a, b) {
        var x = key(a, k);
        var y = key(b, k);
        if (x < y) { return -sortDir; }
        if (x > y) { return sortDir; }
        return a.i - b.i;
      });
      var frag = doc.createDocumentFragment();
      g.rows.forEach(function (r) { frag.appendChild(r.el); });
      g.tbody.appendChild(frag);
    });
    slice.call(doc.querySelectorAll("table.findings th[data-sort]")).forEach(function (th) {
      var k2 = th.getAttribute("data-sort");
      th.setAttribute("aria-sort", k2 === k ? (sortDir > 0 ? "ascending" : "descending") : "none");
    });
  }
  section.addEventListener("click", function (ev) {
    var th = ev.target.closest && ev.target.closest("th[data-sort]");
    if (th) { sortBy(th.getAttribute("data-sort")); writeHash(read()); }
  });

  // From the pictures and the accounts table to the findings.
  function show(accountId, areaName) {
    q.value = "";
    sevs.forEach(function (b) { b.checked = true; });
    setSelect(account, accountId);
    setSelect(area, areaName || "");
    setSelect(rule, "");
    setSelect(state, "");
    apply();
    section.scrollIntoView();
  }
  function activate(selector, handler) {
    slice.call(doc.querySelectorAll(selector)).forEach(function (el) {
      el.addEventListener("click", function () { handler(el); });
      el.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); handler(el); }
      });
    });
  }
  activate("#arch-picture .card[data-a]", function (el) { show(el.getAttribute("data-a")); });
  activate("#heat-map .cell.hit", function (el) {
    show(el.getAttribute("data-a"), el.getAttribute("data-area"));
  });
  activate("button.acct", function (el) { show(el.getAttribute("data-a")); });

  // Printing shows every group that the filters leave visible.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = groups.filter(function (g) { return !g.el.open && !g.el.hidden; });
    openAll(true);
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (g) { g.el.open = false; });
    closed = [];
  });

  readHash();
  apply();
  doc.documentElement.setAttribute("data-ready", "1");
}());
