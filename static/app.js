// Review Journal: shows every failed htmx request to the writer, so nothing fails silently.
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

  document.addEventListener("htmx:responseError", function (event) {
    showMessage(responseText(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function () {
    showMessage("The journal could not be reached. Your text is still here; try again when you are back online.");
  });
})();
