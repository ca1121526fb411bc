/* Shuren: small behaviours shared by every page. No inline scripts (CSP script-src 'self'). */
(function () {
  "use strict";

  // htmx requests carry the CSRF token from the <meta name="csrf-token"> tag.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector("meta[name=csrf-token]");
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
  });

  // Buttons and links with data-confirm ask before acting.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // A live character counter under each text field with a maxlength ("已输入 12/4000", rendered by
  // the form row). Screen readers hear it only near the limit: it becomes a polite live region then.
  var NEAR = 0.9;
  function updateCounter(counter) {
    var input = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!input) { return; }
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    var count = input.value.length;
    counter.textContent = counter.getAttribute("data-template")
      .replace("{count}", String(count)).replace("{limit}", String(limit));
    var near = count >= Math.floor(limit * NEAR);
    if (near) {
      counter.setAttribute("aria-live", "polite");
    } else {
      counter.removeAttribute("aria-live");
    }
    counter.classList.toggle("text-warning-emphasis", near && count < limit);
    counter.classList.toggle("text-danger", count >= limit);
  }
  function counterOf(input) {
    return input.id ? document.querySelector('[data-counter-for="' + input.id + '"]') : null;
  }
  document.addEventListener("input", function (event) {
    var counter = event.target && counterOf(event.target);
    if (counter) { updateCounter(counter); }
  });
  function initCounters(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-counter-for]"), updateCounter);
  }
  document.addEventListener("DOMContentLoaded", function () { initCounters(document); });
  document.addEventListener("htmx:afterSwap", function (event) { initCounters(event.target); });
})();
