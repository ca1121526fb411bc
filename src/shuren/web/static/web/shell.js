/* Shuren's shell: the console remembers which work groups of its sidebar the user opened or closed
   (a cookie the server reads, so the next page is drawn that way with nothing moving). No inline
   scripts (CSP script-src 'self'). */
(function () {
  "use strict";

  var COOKIE = "shuren_nav_open";
  var YEAR = 365 * 24 * 60 * 60;

  function remembered() {
    var match = document.cookie.match(new RegExp("(?:^|; )" + COOKIE + "=([^;]*)"));
    if (match) { return match[1].split(".").filter(Boolean); }
    // Nothing remembered yet: the groups open on this page are where the user starts from.
    return Array.prototype.map.call(
      document.querySelectorAll("details[data-nav-group][open]"),
      function (group) { return group.getAttribute("data-nav-group"); }
    );
  }

  function remember(keys) {
    document.cookie = COOKIE + "=" + keys.join(".") + "; path=/; max-age=" + YEAR + "; SameSite=Lax";
  }

  // A click on a group's heading (or Enter or Space on it) opens or closes the group: remember which.
  document.addEventListener("click", function (event) {
    var summary = event.target.closest("details[data-nav-group] > summary");
    if (!summary) { return; }
    var group = summary.parentElement;
    var key = group.getAttribute("data-nav-group");
    var keys = remembered().filter(function (k) { return k !== key; });
    if (!group.open) { keys.push(key); }  // the click is about to open it
    remember(keys);
  });
})();
