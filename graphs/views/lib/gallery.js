/* civic-kg gallery (views/index.html): the search box keeps the rows whose title, aliases or
 * posts contain every word typed, and the sections that still have one. */
"use strict";
(function () {
  const input = document.getElementById("filter");
  const matches = document.getElementById("matches");
  const rows = Array.from(document.querySelectorAll("tr[data-search]"));
  function apply() {
    const words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    rows.forEach(function (row) {
      const text = row.dataset.search.toLowerCase();
      const hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !hit;
      if (hit) shown += 1;
    });
    document.querySelectorAll("section[data-section]").forEach(function (s) {
      s.hidden = !s.querySelector("tr[data-search]:not([hidden])");
    });
    matches.textContent = words.length ? shown + " 个视图匹配" : "";
  }
  input.addEventListener("input", apply);
  apply();
})();
