// The workbench editor: highlight a sentence's evidence, save edits as they are made.
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

  editor.querySelectorAll(".sentence").forEach(function (li) {
    li.addEventListener("focusin", function () { if (current !== li) showEvidence(li); });
    li.addEventListener("click", function () { if (current !== li) showEvidence(li); });
    var form = li.querySelector("form.sentence-form");
    form.addEventListener("submit", function (event) { event.preventDefault(); save(li); });
    form.querySelector("textarea").addEventListener("change", function () { save(li); });
    form.querySelector("select").addEventListener("change", function () { save(li); });
  });
})();
