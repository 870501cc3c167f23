// Settings › Imports: the file goes to the API as it is (its bytes as the body), then the import's page follows it.
(function () {
  "use strict";
  var form = document.querySelector("[data-import-form]");
  if (!form) return;
  var error = document.getElementById("import-error");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.hidden = true;
    var file = form.querySelector("#imp-file").files[0];
    if (!file) {
      show("Choose a file to import.");
      return;
    }
    var query = new URLSearchParams();
    query.set("format", form.querySelector("#imp-format").value);
    query.set("team_id", form.querySelector("#imp-team").value);
    var dc = form.querySelector("#imp-dc").value;
    if (dc) query.set("datacenter_id", dc);
    var name = form.querySelector("#imp-name").value.trim();
    if (name) query.set("name", name);
    query.set("dry_run", form.querySelector("#imp-dry").checked ? "true" : "false");
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    var csrf = document.body.getAttribute("hx-headers"); // the session's CSRF header, as htmx sends it
    if (csrf) Object.assign(headers, JSON.parse(csrf));
    fetch("/imports/upload?" + query.toString(), { method: "POST", body: file, credentials: "same-origin", headers: headers }).then(function (response) {
      return response.json().then(function (body) {
        if (response.status === 202) {
          window.location.assign("/imports/" + body.id);
        } else {
          var fields = (body.errors || []).map(function (e) { return e.field + ": " + e.message; });
          show((body.detail || body.title || "The import was refused") + (fields.length ? " — " + fields.join("; ") : ""));
        }
      });
    }).catch(function () {
      show("The file could not be sent; try again.");
    });
  });

  function show(text) {
    error.textContent = text;
    error.hidden = false;
    error.focus();
  }
})();
