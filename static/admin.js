// shopcard admin console behaviour: copy buttons and one-click fills.
// Served from our own origin (the CSP allows no inline script). Every
// page works without it; it only saves typing.
(function () {
  "use strict";

  // Copy buttons start hidden, since without script they could do
  // nothing. data-copy names the element whose text (or an input's value)
  // goes to the clipboard.
  function setUpCopy(button) {
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) return;
      var text = source.value !== undefined && source.tagName === "INPUT" ? source.value : source.textContent;
      var done = function (ok) {
        button.textContent = ok ? "Copied" : "Press Ctrl+C to copy";
        button.setAttribute("data-copied", ok ? "true" : "false");
        setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { select(source); done(false); });
      } else {
        select(source);
        done(false);
      }
    });
  }

  // select leaves the text selected for the admin to copy by hand.
  function select(source) {
    if (source.select) {
      source.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(source);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  // A suggestion link fills its domain into the field in place, keeping
  // what else was typed (its href reloads the page with it filled in,
  // for when script is off), and moves on to the next empty field.
  function setUpFill(link) {
    link.addEventListener("click", function (e) {
      var input = document.getElementById(link.getAttribute("data-fill"));
      if (!input) return;
      e.preventDefault();
      input.value = link.getAttribute("data-value");
      var fields = input.form ? Array.prototype.slice.call(input.form.querySelectorAll("input:not([type=hidden]):not([type=checkbox])")) : [];
      var next = fields.filter(function (f) { return f !== input && f.value === ""; })[0];
      (next || input).focus();
    });
  }

  function init() {
    document.querySelectorAll("[data-copy]").forEach(setUpCopy);
    document.querySelectorAll("a[data-fill]").forEach(setUpFill);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
