// The cast list: inline character forms.
(function () {
  "use strict";
  // An ended session (401) or a token from before a new login (400) must not cost the text
  // typed into an inline form: stay on the page (no HX-Redirect), fetch a token of the current
  // session, and tell the writer beside the form what to do.
  var sessionLost = false;
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var status = event.detail.xhr.status;
    var elt = event.detail.elt;
    if ((status !== 401 && status !== 400) || !elt.closest || !elt.closest("[data-unsaved-guard]")) return;
    if (status === 400 && !/CSRF/.test(event.detail.xhr.responseText || "")) return;
    event.preventDefault();
    window.Journal.refreshToken().then(function (ok) {
      sessionLost = !ok;
      window.Journal.reportFailure(elt, ok
        ? "Not saved: your login was renewed meanwhile. Press Save again; your text is still here."
        : "Not saved: your session has ended. Log in again in another tab, then press Save here; your text stays.");
    });
  });
  window.addEventListener("focus", function () {
    if (sessionLost) window.Journal.refreshToken().then(function (ok) { sessionLost = !ok; });
  });

  // "Move up" is disabled on the first character and "Move down" on the last, whatever
  // was added, moved or deleted since the page was drawn. Unsaved new characters do not count.
  function markEnds() {
    var list = document.getElementById("character-list");
    if (!list) return;
    var saved = Array.prototype.filter.call(list.children, function (li) {
      return /^character-\d+$/.test(li.id);
    });
    saved.forEach(function (li, i) {
      var up = li.querySelector("[data-move=up]"), down = li.querySelector("[data-move=down]");
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === saved.length - 1;
    });
  }
  // A deleted character's element is gone before any htmx event could reach the document.
  if (window.MutationObserver) {
    new MutationObserver(markEnds).observe(document.documentElement, {childList: true, subtree: true});
  }
  document.addEventListener("DOMContentLoaded", markEnds);

  // Escape closes an open character form, as its Cancel button would.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented || !event.target.closest) return;
    var form = event.target.closest("[data-character-form]");
    var cancel = form && form.querySelector("[data-cancel]");
    if (!cancel) return;
    event.preventDefault();
    cancel.click();
  });

  // Focus the field or button a swapped-in partial asks for (data-autofocus), unless the writer
  // has meanwhile started typing somewhere else: a late answer must not steal the caret.
  document.addEventListener("htmx:load", function (event) {
    var root = event.target;
    var wanted = root.matches("[data-autofocus]") ? root : root.querySelector("[data-autofocus]");
    if (!wanted) return;
    var active = document.activeElement;
    var typing = active && active.matches("input, textarea, select, [contenteditable]");
    if (typing && !root.contains(active)) return;
    wanted.focus();
  });

  // Leaving the page (the review's own "Save" included) would drop what was typed into an
  // open inline form: the browser asks first.
  function unsavedInlineText() {
    var fields = document.querySelectorAll(
      "[data-unsaved-guard] textarea, [data-unsaved-guard] input:not([type=hidden])"
    );
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value !== fields[i].defaultValue) return true;
    }
    return false;
  }
  window.addEventListener("beforeunload", function (event) {
    if (!unsavedInlineText()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // Cancel on a character never saved removes its form; there is nothing to fetch back.
  document.addEventListener("click", function (event) {
    var discard = event.target.closest && event.target.closest("[data-discard]");
    if (!discard) return;
    event.preventDefault();
    var item = document.getElementById(discard.getAttribute("data-discard"));
    if (item) item.remove();
  });
})();

