// Reports and pivot pages: the builder runs again when its records kind changes (its fields differ),
// and a tree's "Expand all" / "Collapse all" open or close every entry. Both work without it too.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var select = e.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
  });
  document.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-tree]");
    if (!button) return;
    var tree = document.getElementById(button.getAttribute("aria-controls"));
    var open = button.getAttribute("data-tree") === "open";
    tree.querySelectorAll("details").forEach(function (d) { d.open = open; });
  });
})();
