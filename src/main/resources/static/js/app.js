// Maestro UI behaviour: everything works without it, this makes it quicker.
// No inline scripts or handlers anywhere (the CSP forbids them): all wiring is here, by delegation.
(function () {
  "use strict";

  // ---- navigation toggle on narrow screens
  document.addEventListener("click", function (e) {
    var toggle = e.target.closest(".nav-toggle");
    if (!toggle) return;
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  });

  // ---- user menu: close on Escape or a click elsewhere
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    document.querySelectorAll("details.usermenu[open]").forEach(function (d) {
      d.removeAttribute("open");
      d.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (e) {
    document.querySelectorAll("details.usermenu[open]").forEach(function (d) {
      if (!d.contains(e.target)) d.removeAttribute("open");
    });
  });

  // ---- tabs on detail pages: links to sections become ARIA tabs
  function initTabs(root) {
    var links = root.querySelectorAll(".tab-list a");
    if (!links.length) return;
    root.classList.add("js");
    var list = root.querySelector(".tab-list");
    list.setAttribute("role", "tablist");
    var tabs = [];
    links.forEach(function (a) {
      var panel = document.getElementById(a.getAttribute("href").slice(1));
      if (!panel) return;
      a.parentElement.setAttribute("role", "presentation");
      a.setAttribute("role", "tab");
      a.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      tabs.push({ tab: a, panel: panel });
    });
    function select(i, focus) {
      tabs.forEach(function (t, j) {
        var on = i === j;
        t.tab.setAttribute("aria-selected", String(on));
        t.tab.setAttribute("tabindex", on ? "0" : "-1");
        t.panel.hidden = !on;
      });
      if (focus) {
        tabs[i].tab.focus();
        if (history.replaceState) history.replaceState(null, "", "#" + tabs[i].panel.id);
      }
    }
    var start = tabs.findIndex(function (t) { return "#" + t.panel.id === location.hash; });
    select(start < 0 ? 0 : start, false);
    // a link to a tab on the same page (the Share button) opens it
    window.addEventListener("hashchange", function () {
      var i = tabs.findIndex(function (t) { return "#" + t.panel.id === location.hash; });
      if (i >= 0) select(i, true);
    });
    tabs.forEach(function (t, i) {
      t.tab.addEventListener("click", function (e) { e.preventDefault(); select(i, true); });
      t.tab.addEventListener("keydown", function (e) {
        var next = null;
        if (e.key === "ArrowRight") next = (i + 1) % tabs.length;
        if (e.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
        if (e.key === "Home") next = 0;
        if (e.key === "End") next = tabs.length - 1;
        if (next !== null) { e.preventDefault(); select(next, true); }
      });
    });
  }

  // ---- repeatable rows: "Add" clones the template with the next index, "Remove" drops the row
  document.addEventListener("click", function (e) {
    var add = e.target.closest("[data-add-row]");
    if (add) {
      var group = add.closest("[data-rows]");
      var tbody = group.querySelector("tbody");
      var template = group.querySelector("template");
      var index = parseInt(tbody.getAttribute("data-next") || "0", 10);
      tbody.setAttribute("data-next", String(index + 1));
      var html = template.innerHTML.split("__i__").join(String(index));
      var holder = document.createElement("tbody");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      tbody.appendChild(row);
      group.classList.remove("is-empty");
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      return;
    }
    var remove = e.target.closest("[data-remove-row]");
    if (remove) {
      var rowEl = remove.closest("[data-row]");
      var groupEl = remove.closest("[data-rows]");
      rowEl.remove();
      if (!groupEl.querySelector("tbody [data-row]")) groupEl.classList.add("is-empty");
      var addButton = groupEl.querySelector("[data-add-row]");
      if (addButton) addButton.focus();
    }
  });

  // ---- pickers: type to search (server answers up to 20 matches), choose to add a chip
  var pickTimer = null;
  var pickSeq = 0;

  function pickerOf(el) { return el.closest(".picker"); }

  function search(input) {
    var picker = pickerOf(input);
    var list = picker.querySelector(".pick-list");
    var url = input.getAttribute("data-pick-url") + "&q=" + encodeURIComponent(input.value);
    var seq = ++pickSeq;
    fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (seq !== pickSeq) return; // an older answer arriving late
        list.innerHTML = html;
        var chosen = chosenIds(picker);
        list.querySelectorAll(".pick-option").forEach(function (o, i) {
          o.id = list.id + "-" + i;
          if (chosen.indexOf(o.getAttribute("data-id")) >= 0) o.setAttribute("aria-disabled", "true");
        });
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      })
      .catch(function () { /* network trouble: nothing to offer */ });
  }

  function chosenIds(picker) {
    return Array.prototype.map.call(picker.querySelectorAll(".chips input[type=hidden]"), function (i) { return i.value; });
  }

  function closeList(picker) {
    var list = picker.querySelector(".pick-list");
    var input = picker.querySelector(".pick-input");
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function choose(picker, option) {
    if (!option || option.getAttribute("aria-disabled") === "true") return;
    var chips = picker.querySelector(".chips");
    var name = picker.getAttribute("data-name");
    if (picker.getAttribute("data-multiple") !== "true") chips.innerHTML = "";
    var li = document.createElement("li");
    li.className = "chip";
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = name;
    hidden.value = option.getAttribute("data-id");
    var label = document.createElement("span");
    label.textContent = option.getAttribute("data-name");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chip-remove";
    button.setAttribute("aria-label", "Remove " + option.getAttribute("data-name"));
    button.textContent = "×";
    li.appendChild(hidden);
    li.appendChild(label);
    if ((picker.getAttribute("data-kinds") || "").indexOf(",") >= 0) {
      var kind = document.createElement("small");
      kind.textContent = option.getAttribute("data-kind");
      li.appendChild(kind);
    }
    li.appendChild(button);
    chips.appendChild(li);
    picker.dispatchEvent(new CustomEvent("picker:change", { bubbles: true }));
    var input = picker.querySelector(".pick-input");
    input.value = "";
    closeList(picker);
    input.focus();
  }

  function move(picker, delta) {
    var input = picker.querySelector(".pick-input");
    var options = Array.prototype.slice.call(picker.querySelectorAll(".pick-option"));
    if (!options.length) return;
    var current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    var next = current < 0 ? (delta > 0 ? 0 : options.length - 1) : (current + delta + options.length) % options.length;
    options.forEach(function (o, i) { o.setAttribute("aria-selected", String(i === next)); });
    input.setAttribute("aria-activedescendant", options[next].id);
    options[next].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("input", function (e) {
    if (!e.target.classList.contains("pick-input")) return;
    var input = e.target;
    clearTimeout(pickTimer);
    pickTimer = setTimeout(function () { search(input); }, 200);
  });
  document.addEventListener("keydown", function (e) {
    if (!e.target.classList || !e.target.classList.contains("pick-input")) return;
    var picker = pickerOf(e.target);
    var list = picker.querySelector(".pick-list");
    if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) search(e.target); else move(picker, 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(picker, -1); }
    else if (e.key === "Enter") {
      // Enter picks the highlighted match and never submits the form from here
      e.preventDefault();
      choose(picker, list.hidden ? null : picker.querySelector(".pick-option[aria-selected=true]"));
    } else if (e.key === "Escape" && !list.hidden) { e.preventDefault(); closeList(picker); }
  });
  document.addEventListener("mousedown", function (e) {
    var option = e.target.closest(".pick-option");
    if (option) { e.preventDefault(); choose(pickerOf(option), option); }
  });
  document.addEventListener("click", function (e) {
    var remove = e.target.closest(".chip-remove");
    if (remove) {
      var picker = pickerOf(remove);
      remove.closest(".chip").remove();
      picker.dispatchEvent(new CustomEvent("picker:change", { bubbles: true }));
      picker.querySelector(".pick-input").focus();
      return;
    }
    document.querySelectorAll(".picker").forEach(function (p) {
      if (!p.contains(e.target)) closeList(p);
    });
  });
  document.addEventListener("focusout", function (e) {
    if (!e.target.classList || !e.target.classList.contains("pick-input")) return;
    var picker = pickerOf(e.target);
    setTimeout(function () { if (!picker.contains(document.activeElement)) closeList(picker); }, 150);
  });

  // ---- suggestions from a picked record: a server's region and zone from its datacenter
  function refreshSuggestions() {
    document.querySelectorAll("datalist[data-suggest-from]").forEach(function (list) {
      var input = document.getElementById(list.getAttribute("data-suggest-from"));
      var picker = input ? pickerOf(input) : null;
      var chosen = picker ? picker.querySelector(".chips input[type=hidden]") : null;
      if (!chosen) { list.innerHTML = ""; return; }
      var kind = (picker.getAttribute("data-kinds") || "").split(",")[0];
      fetch("/pick/suggest?kind=" + encodeURIComponent(kind) + "&id=" + encodeURIComponent(chosen.value)
          + "&list=" + encodeURIComponent(list.getAttribute("data-suggest")), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { list.innerHTML = html; })
        .catch(function () { /* no suggestions */ });
    });
  }
  document.addEventListener("picker:change", refreshSuggestions);

  // ---- database form: the Oracle section for Oracle, the MySQL section for the MySQL family
  function applyFamily(select) {
    var option = select.options[select.selectedIndex];
    var family = option ? option.getAttribute("data-family") : null;
    document.querySelectorAll("form [data-family], .section-nav [data-family]").forEach(function (el) {
      var show = el.getAttribute("data-family") === family;
      el.hidden = !show;
      if (el.tagName === "FIELDSET") el.disabled = !show; // hidden sections are not sent
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[name=engine]") && document.querySelector("form [data-family]")) applyFamily(e.target);
  });

  // ---- copy buttons: data-copy names the input whose value goes to the clipboard
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy"));
    input.select();
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(input.value).then(done, function () { /* selected: Ctrl+C works */ });
    else if (document.execCommand && document.execCommand("copy")) done();
  });

  // ---- list filters through htmx: leave empty filters out of the URL
  document.addEventListener("htmx:configRequest", function (e) {
    var p = e.detail.parameters;
    if (!p) return;
    var keys = [];
    if (typeof p.keys === "function") { for (var k of p.keys()) keys.push(k); } else keys = Object.keys(p);
    keys.forEach(function (k) {
      var v = typeof p.get === "function" ? p.get(k) : p[k];
      if (v === "" || v === null) { if (typeof p.delete === "function") p.delete(k); else delete p[k]; }
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-tabs]").forEach(initTabs);
    refreshSuggestions();
    var problem = document.getElementById("problem");
    if (problem) problem.focus();
  });
})();
