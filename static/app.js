// Review Journal: the helpers every page script shares, and the one way a failed request is shown
// to the writer (reportFailure), so nothing fails silently and nothing is reported twice.
// Elements that report their own failures (the editor's autosave status line, which retries)
// carry data-reports-errors. editor.js, tags.js and characters.js use these helpers.
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

  // An inline form keeps its text and has its own place for messages ([data-form-message]), beside
  // it, where the writer looks; every other failure goes to the page's message box.
  function formMessageBox(elt) {
    var form = elt && elt.closest && elt.closest("form");
    return form && form.querySelector("[data-form-message]");
  }

  function reportFailure(elt, text) {
    var box = formMessageBox(elt);
    if (!box) { showMessage(text); return; }
    box.textContent = text;
    box.hidden = false;
  }

  function reportsOwnErrors(event) {
    var elt = event.detail && event.detail.elt;
    return !!(elt && elt.hasAttribute && elt.hasAttribute("data-reports-errors"));
  }

  document.addEventListener("htmx:responseError", function (event) {
    if (reportsOwnErrors(event)) return;
    reportFailure(event.detail.elt, responseText(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (reportsOwnErrors(event)) return;
    var elt = event.detail.elt;
    reportFailure(elt, formMessageBox(elt)
      ? "Not saved: the journal could not be reached. Your text is still here."
      : "The journal could not be reached. Your text is still here; try again when you are back online.");
  });

  // The CSRF token refresh, shared by the editor and the inline forms: after the writer logs in
  // again in another tab, the page's token belongs to the ended session. Resolves true once the
  // page holds a token of the current session, false while the writer must still log in.
  function setToken(token) {
    document.body.setAttribute("data-hx-headers", JSON.stringify({"X-CSRFToken": token}));
    document.querySelectorAll("input[name=csrf_token]").forEach(function (input) {
      input.value = token;
    });
  }

  function refreshToken() {
    var source = document.querySelector("[data-token-url]");
    if (!source) return Promise.resolve(false);
    return fetch(source.getAttribute("data-token-url"), {
      credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) return false;
      return response.json().then(function (data) { setToken(data.csrf_token); return true; });
    }).catch(function () { return false; });
  }

  // The journal's one date format (formatting.DATE_TIME): "2 December 2026, 14:05".
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  function formatDateTime(date) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return date.getDate() + " " + MONTHS[date.getMonth()] + " " + date.getFullYear() + ", " +
      two(date.getHours()) + ":" + two(date.getMinutes());
  }

  window.Journal = {
    reportFailure: reportFailure, responseText: responseText, refreshToken: refreshToken,
    formatDateTime: formatDateTime
  };
})();
