// fdiscope dashboard: click a field value -> highlight its evidence span and sentence in the text.
// Written for this project; no library. Works on pages that have a.value[data-field] and #doctext.
(function () {
  "use strict";
  function has(list, key) {
    return (list || "").split(" ").indexOf(key) >= 0;
  }
  function show(field) {
    var pieces = document.querySelectorAll("#doctext .piece, .doctext .piece");
    var first = null;
    pieces.forEach(function (p) {
      var inSpan = has(p.getAttribute("data-ev"), field);
      var inSent = has(p.getAttribute("data-sent"), field);
      p.classList.toggle("hl-span", inSpan);
      p.classList.toggle("hl-sent", inSent);
      if ((inSpan || inSent) && !first) first = p;
    });
    document.querySelectorAll("a.value").forEach(function (a) {
      a.classList.toggle("active", a.getAttribute("data-field") === field);
    });
    if (first) first.scrollIntoView({ block: "center" });
    document.body.setAttribute("data-highlighted", field);
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a.value[data-field]") : null;
    if (!a) return;
    ev.preventDefault();
    show(a.getAttribute("data-field"));
    if (history.replaceState) history.replaceState(null, "", "#ev-" + a.getAttribute("data-field"));
  });
  document.addEventListener("DOMContentLoaded", function () {
    var m = /^#ev-(.+)$/.exec(location.hash);
    if (m) show(decodeURIComponent(m[1]));
  });
})();
