// The error summary (templates/_form_errors.html): focus it when the page loads, so a
// screen reader reads it and a phone shows it; its links focus the field they name.
// Without JavaScript the summary is simply at the top and its links jump to the fields.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    // Show the field's label (or its fieldset's legend) with it, then focus the field.
    var fieldset = field.closest("fieldset");
    var label = document.querySelector("label[for='" + field.id + "']");
    var shown = (fieldset && fieldset.querySelector("legend")) || label || field;
    shown.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();
