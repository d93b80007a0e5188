// Beside each date input (templates/_macros/forms.html, date_input), the date picked as the whole interface
// writes dates, "2 Mar 2027", whatever format the browser's own control shows. The month names come
// from the page (capmatch/i18n/formats.py), in the page's language. A file, not an inline script: the Content-Security-Policy allows
// only the app's own scripts. Listening on the document also serves forms that htmx swaps in later.
(function () {
  "use strict";
  var ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

  function showReading(input) {
    var output = document.getElementById(input.dataset.reading);
    if (!output) {
      return;
    }
    var months = (output.dataset.months || "").split(" ");
    var parts = ISO_DAY.exec(input.value);
    var month = parts ? months[Number(parts[2]) - 1] : undefined;
    var day = Number(parts ? parts[3] : 0);
    // The first of the month as the language writes it ("1er" in French), from the page too.
    var written = day === 1 && output.dataset.first ? output.dataset.first : String(day);
    output.textContent = month ? written + " " + month + " " + parts[1] : "";
  }

  function onEdit(event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.dataset.reading) {
      showReading(input);
    }
  }

  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);
  // A browser may restore what was typed when a person comes back to the page.
  document.querySelectorAll("input[data-reading]").forEach(showReading);
})();
