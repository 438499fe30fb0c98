// Review Journal: shows every failed htmx request to the writer, so nothing fails silently.
// Elements that report their own failures (the editor's autosave status line) carry
// data-reports-errors. The helpers are shared with editor.js, tags.js and characters.js.
(function () {
  "use strict";

  function showMessage(text) {
    var box = document.getElementById("messages");
    if (!box) return;
    var p = document.createElement("p");
    p.className = "flash flash-error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    box.replaceChildren(p);
  }

  function responseText(xhr) {
    var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var text = (doc.body && doc.body.textContent || "").trim().replace(/\s+/g, " ");
    return text.slice(0, 300) || ("The server answered " + xhr.status + ".");
  }

  function reportsOwnErrors(event) {
    var elt = event.detail && event.detail.elt;
    return !!(elt && elt.hasAttribute && elt.hasAttribute("data-reports-errors"));
  }

  document.addEventListener("htmx:responseError", function (event) {
    if (reportsOwnErrors(event)) return;
    showMessage(responseText(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (reportsOwnErrors(event)) return;
    showMessage("The journal could not be reached. Your text is still here; try again when you are back online.");
  });

  window.Journal = {showMessage: showMessage, responseText: responseText};
})();
