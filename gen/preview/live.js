// gongjian live reload: injected by gen serve only.
(function () {
  "use strict";
  var here = decodeURI(location.pathname);
  var overlay = null;
  function show(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "gen-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);color:#fff;font:15px/1.6 ui-monospace,Menlo,Consolas,monospace;padding:1.25rem";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var h = document.createElement("h2");
    h.textContent = "gen: " + errors.length + " problem(s) — the last good page is shown under this";
    h.style.cssText = "margin:0 0 1rem;font-size:1.1rem;color:#ffb4a8";
    overlay.appendChild(h);
    var list = document.createElement("ul");
    list.style.cssText = "list-style:none;margin:0;padding:0";
    errors.forEach(function (e) {
      var li = document.createElement("li");
      li.style.cssText = "margin:0 0 .6rem;white-space:pre-wrap";
      var where = document.createElement("strong");
      where.textContent = e.file + (e.line ? ":" + e.line : "") + ": ";
      where.style.color = "#ffd479";
      li.appendChild(where);
      li.appendChild(document.createTextNode(e.msg));
      list.appendChild(li);
    });
    overlay.appendChild(list);
  }
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  var es = new EventSource("/_gen/events");
  // Marks the page while it listens, for tests and for curious editors.
  es.addEventListener("open", function () { document.documentElement.setAttribute("data-gen-live", "open"); });
  es.addEventListener("reload", function (ev) {
    var d = JSON.parse(ev.data);
    if (d.all || d.paths.indexOf(here) >= 0) { location.reload(); }
  });
  es.addEventListener("css", function (ev) {
    var d = JSON.parse(ev.data);
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      if (l.getAttribute("href").indexOf("/css/") === 0) { l.setAttribute("href", d.href); }
    });
  });
  es.addEventListener("problems", function (ev) {
    if (ev.data) { show(JSON.parse(ev.data)); }
  });
  es.addEventListener("ok", hide);
})();
