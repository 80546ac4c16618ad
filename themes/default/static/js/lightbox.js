// A small lightbox for album pages. Without JavaScript every photo is a
// plain link to its full-size file; with it, a link opens the photo in a
// dialog with its caption, keyboard (Esc, ←, →) and swipe navigation.
(function () {
  "use strict";
  var list = document.querySelector("[data-lightbox]");
  if (!list || typeof HTMLDialogElement !== "function") return;
  var links = Array.prototype.slice.call(list.querySelectorAll("a[href]"));
  var d = list.dataset;
  var dialog = document.createElement("dialog");
  dialog.className = "lightbox";
  dialog.setAttribute("aria-label", d.label || "");
  dialog.innerHTML =
    '<figure><img alt=""><figcaption></figcaption></figure>' +
    '<div class="lb-bar"><button type="button" class="lb-prev"></button>' +
    '<a class="lb-full"></a><button type="button" class="lb-next"></button>' +
    '<button type="button" class="lb-close"></button></div>';
  document.body.appendChild(dialog);
  var img = dialog.querySelector("img");
  var cap = dialog.querySelector("figcaption");
  var full = dialog.querySelector(".lb-full");
  dialog.querySelector(".lb-prev").textContent = "‹ " + (d.prev || "");
  dialog.querySelector(".lb-next").textContent = (d.next || "") + " ›";
  dialog.querySelector(".lb-close").textContent = d.close || "×";
  full.textContent = d.full || "";
  var at = 0;
  function show(i) {
    at = (i + links.length) % links.length;
    var a = links[at], thumb = a.querySelector("img"), fig = a.closest("figure");
    img.src = a.href;
    img.alt = thumb ? thumb.alt : "";
    cap.textContent = fig && fig.querySelector("figcaption") ? fig.querySelector("figcaption").textContent : "";
    full.href = a.href;
  }
  links.forEach(function (a, i) {
    a.addEventListener("click", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
      ev.preventDefault();
      show(i);
      dialog.showModal();
    });
  });
  dialog.querySelector(".lb-prev").addEventListener("click", function () { show(at - 1); });
  dialog.querySelector(".lb-next").addEventListener("click", function () { show(at + 1); });
  dialog.querySelector(".lb-close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () { links[at].focus(); });
  dialog.addEventListener("click", function (ev) { if (ev.target === dialog) dialog.close(); });
  dialog.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowLeft") { show(at - 1); ev.preventDefault(); }
    if (ev.key === "ArrowRight") { show(at + 1); ev.preventDefault(); }
  });
  var x0 = null;
  dialog.addEventListener("touchstart", function (ev) { x0 = ev.touches[0].clientX; }, { passive: true });
  dialog.addEventListener("touchend", function (ev) {
    if (x0 === null) return;
    var dx = ev.changedTouches[0].clientX - x0;
    x0 = null;
    if (Math.abs(dx) > 40) show(dx < 0 ? at + 1 : at - 1);
  });
})();
