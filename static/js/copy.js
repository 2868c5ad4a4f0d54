/* "Copy" buttons: <button data-copy="#id"> copies that element's text and says so in #copy-status. */
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  function say(text) { if (status) { status.textContent = text; } }
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    button.addEventListener("click", function () {
      var source = document.querySelector(button.dataset.copy);
      if (!source) { return; }
      var text = source.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { say("Copied."); },
          function () { say("Could not copy: press and hold the address to copy it."); });
      } else {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        say(document.execCommand && document.execCommand("copy") ? "Copied." :
            "The address is selected: copy it from your phone's menu.");
      }
    });
  });
}());
