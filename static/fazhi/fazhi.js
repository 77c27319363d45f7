/* fazhi — the few page behaviours, as data attributes instead of inline
   handlers (the Content-Security-Policy runs scripts from this site's files only).

   data-print               click: print the page
   data-back                click: back to the previous page (the href is the fallback)
   data-confirm="问题"       on a form (submit) or a button (click): ask first
   data-autosubmit          on a select: submit its form on change
   data-check-all="name"    on a checkbox: tick every input[name] of its table
   data-width="42"          width in percent (progress bars)
   data-indent="24"         left padding in px (tree indentation)
   data-menu-toggle         on a button with aria-controls: open/close that element
                            (the side menu on a phone); aria-expanded follows
*/
(function () {
  "use strict";

  function apply(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      var w = Math.max(0, Math.min(100, parseFloat(el.getAttribute("data-width")) || 0));
      el.style.width = w + "%";
    });
    root.querySelectorAll("[data-indent]").forEach(function (el) {
      el.style.paddingLeft = (parseFloat(el.getAttribute("data-indent")) || 0) + "px";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { apply(document); });
  // htmx fires htmx:load on every piece of content it swaps in.
  document.addEventListener("htmx:load", function (e) { apply(e.detail.elt.parentNode || document); });

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!(t instanceof Element)) return;
    var toggle = t.closest("[data-menu-toggle]");
    if (toggle) {
      var menu = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (menu) menu.classList.toggle("open", open);
      return;
    }
    if (t.closest("[data-print]")) { e.preventDefault(); window.print(); return; }
    if (t.closest("[data-back]") && window.history.length > 1) { e.preventDefault(); window.history.back(); return; }
    var button = t.closest("button[data-confirm], input[type=submit][data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) { e.preventDefault(); return; }
    var all = t.closest("input[data-check-all]");
    if (all) {
      var name = all.getAttribute("data-check-all");
      all.closest("table").querySelectorAll("input[name='" + name + "']").forEach(function (c) { c.checked = all.checked; });
    }
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.hasAttribute && form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      e.preventDefault();
    }
  });

  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el instanceof Element && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });
})();
