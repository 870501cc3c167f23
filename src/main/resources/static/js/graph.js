// Draws the graph page's records with Cytoscape: the record in the middle, each hop a ring
// further out, colours by kind (from the stylesheet, so dark mode follows). A click opens the record.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || typeof cytoscape !== "function") return;
  var data = JSON.parse(box.getAttribute("data-graph"));
  var css = getComputedStyle(document.documentElement);
  function colour(kind) {
    return css.getPropertyValue("--k-" + kind).trim() || css.getPropertyValue("--muted").trim();
  }
  var maxDepth = data.nodes.reduce(function (m, n) { return Math.max(m, n.depth); }, 0);
  var cy = cytoscape({
    container: box,
    elements: data.nodes.map(function (n) {
      return { data: { id: n.id, label: n.label, kind: n.kind, href: n.href, depth: n.depth, colour: colour(n.kind) } };
    }).concat(data.edges.map(function (e, i) {
      return { data: { id: "e" + i, source: e.source, target: e.target, field: e.field } };
    })),
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)", "label": "data(label)", "color": css.getPropertyValue("--fg").trim(),
        "font-size": 11, "text-valign": "bottom", "text-margin-y": 4, "width": 18, "height": 18 } },
      { selector: "node[depth = 0]", style: { "width": 28, "height": 28, "font-weight": "bold",
        "border-width": 3, "border-color": css.getPropertyValue("--fg").trim() } },
      { selector: "edge", style: { "width": 1.5, "line-color": css.getPropertyValue("--border").trim(),
        "target-arrow-color": css.getPropertyValue("--border").trim(), "target-arrow-shape": "triangle", "curve-style": "bezier" } }
    ],
    layout: { name: "concentric", concentric: function (n) { return maxDepth - n.data("depth"); },
      levelWidth: function () { return 1; }, minNodeSpacing: 30, animate: false },
    wheelSensitivity: 0.3
  });
  // Fit the box (a phone turned, a window resized); a few records would otherwise be blown up to fill it.
  function fit() {
    cy.resize();
    cy.fit(undefined, 30);
    if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(); }
  }
  fit();
  var pending;
  window.addEventListener("resize", function () { clearTimeout(pending); pending = setTimeout(fit, 100); });
  cy.on("tap", "node", function (e) { window.location.href = e.target.data("href"); });
  cy.on("mouseover", "node", function () { box.style.cursor = "pointer"; });
  cy.on("mouseout", "node", function () { box.style.cursor = ""; });
  window.maestroGraph = cy; // for the browser tests
})();
