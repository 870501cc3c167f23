// The list tools: row selection for bulk edit and delete, the import page (check, then apply
// with a progress bar), and warnings while typing on record forms. Wired by delegation, no
// inline handlers (the CSP forbids them); the pages work without it except the import.
(function () {
  "use strict";

  function csrfHeaders() {
    var raw = document.body.getAttribute("hx-headers");
    try { return raw ? JSON.parse(raw) : {}; } catch (e) { return {}; }
  }

  // ---- list selection
  function initSelection(root) {
    (root || document).querySelectorAll("[data-select-page]").forEach(function (box) { box.hidden = false; });
    updateCount();
  }

  function updateCount() {
    var form = document.getElementById("bulk-form");
    if (!form) return;
    var label = form.querySelector("[data-bulk-count]");
    if (!label) return;
    var matching = form.querySelector("[data-select-matching]");
    var picked = form.querySelectorAll("[data-select-row]:checked").length;
    if (matching && matching.checked) {
      label.textContent = "All " + matching.parentElement.textContent.replace(/\D+/g, " ").trim().split(" ")[0] + " matching selected.";
    } else {
      label.textContent = picked === 0 ? label.getAttribute("data-empty-text") : picked + " selected.";
    }
    var all = form.querySelector("[data-select-page]");
    var rows = form.querySelectorAll("[data-select-row]");
    if (all) {
      all.checked = rows.length > 0 && picked === rows.length;
      all.indeterminate = picked > 0 && picked < rows.length;
    }
  }

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches && t.matches("[data-select-page]")) {
      document.querySelectorAll("#bulk-form [data-select-row]").forEach(function (b) { b.checked = t.checked; });
      updateCount();
    } else if (t.matches && (t.matches("[data-select-row]") || t.matches("[data-select-matching]"))) {
      if (t.matches("[data-select-matching]") && t.checked) {
        document.querySelectorAll("#bulk-form [data-select-row]").forEach(function (b) { b.checked = true; });
      }
      updateCount();
    }
  });

  // ---- import: a check (dry run) as soon as a file is chosen, then Apply
  function typeOf(file) {
    var name = file.name.toLowerCase();
    if (/\.csv$/.test(name)) return "text/csv";
    if (/\.(ndjson|jsonl)$/.test(name)) return "application/x-ndjson";
    if (/\.json$/.test(name)) return "application/json";
    return file.type || "application/octet-stream";
  }

  function importParts(form) {
    return {
      file: form.querySelector("input[type=file]"),
      apply: form.querySelector("[data-import-apply]"),
      check: form.querySelector("[data-import-check]"),
      progress: form.querySelector("[data-import-progress]"),
      label: form.querySelector("[data-import-progress-label]"),
      bar: form.querySelector("progress"),
      result: document.getElementById("import-result")
    };
  }

  function showResult(parts, html) {
    parts.result.innerHTML = html;
    parts.result.focus();
  }

  function refuse(parts, message) {
    var div = document.createElement("div");
    div.className = "alert error";
    div.setAttribute("role", "alert");
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = "Nothing was imported. ";
    p.appendChild(strong);
    p.appendChild(document.createTextNode(message));
    div.appendChild(p);
    parts.result.innerHTML = "";
    parts.result.appendChild(div);
    parts.result.focus();
  }

  function send(form, dryRun) {
    var parts = importParts(form);
    var file = parts.file.files[0];
    parts.apply.disabled = true;
    if (!file) { refuse(parts, "Choose a file first."); return; }
    var max = parseInt(form.getAttribute("data-max-bytes") || "0", 10);
    if (max > 0 && file.size > max) {
      refuse(parts, "The file is larger than " + Math.round(max / 1048576) + " MB, the most one import takes: split it, or load it with the API's /bulk.");
      return;
    }
    if (file.size === 0) { refuse(parts, "The file is empty: nothing to import."); return; }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("data-url") + "?dry_run=" + dryRun);
    xhr.setRequestHeader("Content-Type", typeOf(file));
    xhr.setRequestHeader("Accept", "text/html");
    var headers = csrfHeaders();
    Object.keys(headers).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
    parts.progress.hidden = false;
    parts.label.textContent = dryRun ? "Checking: uploading…" : "Importing: uploading…";
    parts.bar.value = 0;
    parts.bar.setAttribute("value", "0");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) parts.bar.value = Math.round(100 * e.loaded / e.total);
    };
    xhr.upload.onload = function () {
      parts.bar.removeAttribute("value"); // indeterminate while the server works through the rows
      parts.label.textContent = dryRun ? "Checking every row…" : "Storing rows…";
    };
    xhr.onload = function () {
      parts.progress.hidden = true;
      showResult(parts, xhr.responseText);
      var counts = parts.result.querySelector("[data-import-counts]");
      var writes = counts ? parseInt(counts.getAttribute("data-writes"), 10) : 0;
      parts.apply.disabled = !(dryRun && xhr.status === 200 && writes > 0);
    };
    xhr.onerror = function () {
      parts.progress.hidden = true;
      refuse(parts, "The upload failed (connection lost or the file is too large).");
    };
    xhr.send(file);
  }

  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("form[data-import]");
    if (form && e.target.type === "file") send(form, true);
  });
  document.addEventListener("click", function (e) {
    var check = e.target.closest("[data-import-check]");
    if (check) { send(check.closest("form[data-import]"), true); return; }
    var apply = e.target.closest("[data-import-apply]");
    if (apply) send(apply.closest("form[data-import]"), false);
  });
  document.addEventListener("submit", function (e) {
    if (e.target.matches("form[data-import]")) { e.preventDefault(); send(e.target, true); }
  });

  // ---- warnings while typing: leaving a checked field asks the server what a save would say
  var checkSeq = 0;

  function runCheck(form) {
    var seq = ++checkSeq;
    var body = new URLSearchParams(new FormData(form));
    var headers = csrfHeaders();
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    headers["Accept"] = "text/html";
    fetch(form.getAttribute("data-check"), { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null || seq !== checkSeq) return;
        form.querySelectorAll(".field-note[data-checked]").forEach(function (n) { n.remove(); });
        var holder = document.createElement("div");
        holder.innerHTML = html;
        holder.querySelectorAll(".field-note").forEach(function (note) {
          var input = form.querySelector("[name=\"" + note.getAttribute("data-for") + "\"]");
          if (!input) return;
          var id = "note-" + input.id;
          note.id = id;
          note.setAttribute("data-checked", "");
          note.setAttribute("role", "status");
          var field = input.closest(".field") || input.parentElement;
          field.appendChild(note);
          var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== id; });
          described.push(id);
          input.setAttribute("aria-describedby", described.join(" "));
        });
      })
      .catch(function () { /* no check: the save still says it */ });
  }

  document.addEventListener("focusout", function (e) {
    var form = e.target.closest && e.target.closest("form[data-check]");
    if (!form || !e.target.name) return;
    var fields = (form.getAttribute("data-check-fields") || "").split(" ");
    if (fields.indexOf(e.target.name) >= 0) runCheck(form);
  });
  document.addEventListener("picker:change", function (e) {
    var form = e.target.closest && e.target.closest("form[data-check]");
    if (form) runCheck(form);
  });

  document.addEventListener("DOMContentLoaded", function () { initSelection(document); });
  document.addEventListener("htmx:afterSettle", function () { initSelection(document); });
})();
