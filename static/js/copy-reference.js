// "Kopieer" next to a formatted reference: copies the reference's text to the clipboard.
// Without JavaScript the button stays hidden and the reference is ordinary selectable text.
(function () {
  "use strict";

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyBySelection(element) {
    selectText(element);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!target) {
      return;
    }
    var text = target.textContent.replace(/\s+/g, " ").trim();
    function report(done) {
      if (status) {
        status.textContent = button.getAttribute(done ? "data-copied-message" : "data-failed-message");
      }
      if (!done) {
        selectText(target);
      }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { report(true); },
        function () { report(copyBySelection(target)); }
      );
    } else {
      report(copyBySelection(target));
    }
  }

  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
