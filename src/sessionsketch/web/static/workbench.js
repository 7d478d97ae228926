// The workbench editor: highlight a sentence's evidence, save edits as they are made, and keep
// the fairness chart in step with the edits.
// Plain DOM, no build step. Text is only ever set with textContent (never innerHTML).
(function () {
  "use strict";
  var editor = document.getElementById("editor");
  if (!editor) return;
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var versionLabel = document.getElementById("version-label");
  var current = null;

  function version() { return editor.getAttribute("data-version"); }
  function setVersion(v) {
    editor.setAttribute("data-version", String(v));
    if (versionLabel) versionLabel.textContent = String(v);
    editor.querySelectorAll('input[name="version"]').forEach(function (i) { i.value = String(v); });
    document.querySelectorAll('form input[name="version"]').forEach(function (i) { i.value = String(v); });
  }

  function clearEvidence() {
    document.querySelectorAll(".turn.evidence").forEach(function (turn) {
      turn.classList.remove("evidence");
      var text = turn.querySelector(".turn-text");
      text.textContent = text.textContent; // drops the <mark>s
    });
  }

  function showEvidence(li) {
    clearEvidence();
    document.querySelectorAll(".sentence.selected").forEach(function (s) { s.classList.remove("selected"); });
    li.classList.add("selected");
    current = li;
    var evidence = [];
    try { evidence = JSON.parse(li.getAttribute("data-evidence") || "[]"); } catch (e) { evidence = []; }
    var first = null;
    var byTurn = {};
    evidence.forEach(function (e) { (byTurn[e.turn] = byTurn[e.turn] || []).push(e); });
    Object.keys(byTurn).forEach(function (index) {
      var turn = document.getElementById("turn-" + index);
      if (!turn) return;
      turn.classList.add("evidence");
      var box = turn.querySelector(".turn-text");
      var text = box.textContent;
      var spans = byTurn[index].sort(function (a, b) { return a.start - b.start; });
      box.textContent = "";
      var at = 0;
      spans.forEach(function (e) {
        var start = Math.max(at, Math.min(e.start, text.length));
        var end = Math.max(start, Math.min(e.end, text.length));
        box.appendChild(document.createTextNode(text.slice(at, start)));
        var mark = document.createElement("mark");
        mark.textContent = text.slice(start, end);
        box.appendChild(mark);
        at = end;
      });
      box.appendChild(document.createTextNode(text.slice(at)));
      if (!first) first = turn;
    });
    if (first) first.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function status(li, text, kind) {
    var s = li.querySelector(".status");
    s.textContent = text;
    s.className = "status " + (kind || "");
  }

  function save(li) {
    var form = li.querySelector("form.sentence-form");
    var data = new FormData(form);
    data.set("version", version());
    status(li, "saving…");
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (r) {
      if (r.status === 200) {
        setVersion(r.body.version);
        li.setAttribute("data-evidence", JSON.stringify(r.body.sentence.evidence));
        li.classList.toggle("unsupported", !r.body.supported);
        status(li, r.body.message, r.body.supported ? "ok" : "warn");
        if (current === li) showEvidence(li);
      } else if (r.status === 409) {
        var theirs = r.body.sentence ? " Their version: “" + r.body.sentence.text + "” (" +
          (r.body.sentence.speaker || "no speaker") + ")." : "";
        status(li, r.body.detail + theirs, "error");
        li.classList.add("conflict");
      } else {
        status(li, r.body.detail || ("not saved (" + r.status + ")"), "error");
      }
    }).catch(function () { status(li, "not saved: the server did not answer", "error"); });
  }

  // Fairness at a glance: each participant's share of the sketch, recounted from the editor as it
  // is edited (the transcript's shares come with the page). Words are counted as text.word_count does.
  var fairness = document.getElementById("fairness");
  var WORD = /[\p{L}\p{N}_][\p{L}\p{N}_'’-]*/gu;
  function words(text) { var m = text.match(WORD); return m ? m.length : 0; }
  function percent(x) { return Math.round(x * 100) + " %"; }

  function recountFairness() {
    if (!fairness) return;
    var rows = Array.prototype.slice.call(fairness.querySelectorAll("tr[data-name]"));
    var chairs = (fairness.querySelector("table").getAttribute("data-chair-roles") || "").split(" ");
    var byName = {};
    rows.forEach(function (tr) {
      byName[tr.getAttribute("data-name")] = {
        tr: tr, spoken: Number(tr.getAttribute("data-transcript-words")) || 0, written: 0, sentences: 0
      };
    });
    editor.querySelectorAll("li.sentence").forEach(function (li) {
      var who = byName[li.querySelector("select").value];
      if (!who) return;
      who.written += words(li.querySelector("textarea").value);
      who.sentences += 1;
    });
    var total = { spoken: 0, written: 0, sentences: 0 };
    Object.keys(byName).forEach(function (k) {
      total.spoken += byName[k].spoken; total.written += byName[k].written; total.sentences += byName[k].sentences;
    });
    var svg = fairness.querySelector("svg.chart");
    var plot = svg ? Number(svg.getAttribute("data-plot-width")) : 0;
    var left = svg ? Number(svg.getAttribute("data-label-width")) : 0;
    var values = {};
    var peak = 0.01;
    Object.keys(byName).forEach(function (k) {
      var w = byName[k];
      values[k] = [w.spoken / (total.spoken || 1), w.written / (total.written || 1), w.sentences / (total.sentences || 1)];
      values[k].forEach(function (v) { peak = Math.max(peak, v); });
    });
    var missing = [];
    Object.keys(byName).forEach(function (k) {
      var w = byName[k];
      var v = values[k];
      var isMissing = w.spoken > 0 && w.sentences === 0 && chairs.indexOf(w.tr.getAttribute("data-role")) < 0;
      if (isMissing) missing.push(k);
      w.tr.classList.toggle("missing", isMissing);
      w.tr.querySelector(".sketch-words").textContent = w.written.toLocaleString("en") + " (" + percent(v[1]) + ")";
      w.tr.querySelector(".sentences").textContent = w.sentences + " (" + percent(v[2]) + ")";
      if (!svg) return;
      var group = null;
      svg.querySelectorAll("g.bar-group").forEach(function (g) { if (g.getAttribute("data-label") === k) group = g; });
      if (!group) return;
      v.forEach(function (x, i) {
        var width = plot * x / peak;
        var rect = group.querySelector('rect[data-series="' + i + '"]');
        var label = group.querySelector('text[data-series="' + i + '"]');
        if (rect) rect.setAttribute("width", Math.max(width, 0.5).toFixed(1));
        if (label) { label.setAttribute("x", (left + width + 4).toFixed(1)); label.textContent = percent(x); }
      });
      var name = group.querySelector("text.label");
      if (name) {
        name.classList.toggle("flagged", isMissing);
        var flag = name.querySelector("tspan.flag");
        if (isMissing && !flag) {
          flag = document.createElementNS("http://www.w3.org/2000/svg", "tspan");
          flag.setAttribute("class", "flag");
          flag.textContent = " ⚑";
          name.insertBefore(flag, name.querySelector("title"));
        } else if (!isMissing && flag) {
          flag.remove();
        }
      }
    });
    var note = fairness.querySelector(".fairness-missing");
    note.hidden = missing.length === 0;
    note.querySelector(".names").textContent = missing.join(", ");
  }

  editor.querySelectorAll(".sentence").forEach(function (li) {
    li.querySelector("textarea").addEventListener("input", recountFairness);
    li.querySelector("select").addEventListener("change", recountFairness);
  });

  editor.querySelectorAll(".sentence").forEach(function (li) {
    li.addEventListener("focusin", function () { if (current !== li) showEvidence(li); });
    li.addEventListener("click", function () { if (current !== li) showEvidence(li); });
    var form = li.querySelector("form.sentence-form");
    form.addEventListener("submit", function (event) { event.preventDefault(); save(li); });
    form.querySelector("textarea").addEventListener("change", function () { save(li); });
    form.querySelector("select").addEventListener("change", function () { save(li); });
  });
})();
