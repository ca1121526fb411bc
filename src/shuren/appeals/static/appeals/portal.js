/* Appeals on the phone: fill the position from the browser, check the number of photos, tie the
   place lists to their choice, caption the star rating. No inline scripts (CSP script-src 'self'). */
(function () {
  "use strict";

  function choose(form, value) {
    var radio = form.querySelector("input[name=where][value=" + value + "]");
    if (radio) { radio.checked = true; }
  }

  // "Use my location": navigator.geolocation fills latitude/longitude (6 decimals, as stored).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-locate]");
    if (!button) { return; }
    var box = button.closest("[data-locate-box]");
    var form = button.closest("form");
    var status = box.querySelector("[data-locate-status]");
    if (!("geolocation" in navigator)) {
      status.textContent = box.getAttribute("data-msg-unsupported");
      return;
    }
    status.textContent = box.getAttribute("data-msg-finding");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      form.querySelector("input[name=latitude]").value = position.coords.latitude.toFixed(6);
      form.querySelector("input[name=longitude]").value = position.coords.longitude.toFixed(6);
      choose(form, "point");
      status.textContent = box.getAttribute("data-msg-found") + " (±" + Math.round(position.coords.accuracy) + " m)";
      button.disabled = false;
    }, function () {
      status.textContent = box.getAttribute("data-msg-failed");
      button.disabled = false;
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    var form = target.form;
    if (!form) { return; }
    // Picking a home, building or estate from a list also picks that kind of place.
    var kind = target.getAttribute("data-where-for");
    if (kind && target.value) { choose(form, kind); }
    // Too many photos: say so at once (the server refuses them too).
    if (target.hasAttribute("data-max-photos")) {
      var max = parseInt(target.getAttribute("data-max-photos"), 10);
      var note = form.querySelector("[data-photo-count]");
      var count = target.files ? target.files.length : 0;
      if (count > max) {
        note.textContent = note.getAttribute("data-msg-too-many");
        note.classList.add("text-danger");
        target.setCustomValidity(note.getAttribute("data-msg-too-many"));
      } else {
        note.textContent = count ? note.getAttribute("data-msg-chosen") + " " + count : "";
        note.classList.remove("text-danger");
        target.setCustomValidity("");
      }
    }
    // The star rating says in words what was chosen.
    if (target.classList.contains("star-input")) {
      var caption = target.closest("fieldset").querySelector("[data-star-caption]");
      var label = form.querySelector("label[for='" + target.id + "']");
      if (caption && label) { caption.textContent = label.getAttribute("title"); }
    }
  });
})();
