// The review editor: never lose a word.
(function () {
  "use strict";
  var responseText = window.Journal.responseText;

  // Never lose a word: the editor autosaves (htmx attributes on the form), keeps a copy of
  // unsaved text in this browser, offers it back after a crash, reload or expired login,
  // fetches a fresh CSRF token after a new login, and asks before leaving unsaved changes.
  var FIELDS = ["title", "work_title", "original_title", "media_type", "year", "where_to_watch",
    "episodes", "runtime_minutes", "rating", "verdict", "body", "tags"];
  var STORE = "journal:unsaved:";
  var editor = document.getElementById("review-form");

  function storageKey(id) {
    if (id === undefined) id = editor.elements.review_id && editor.elements.review_id.value;
    return STORE + (id || "new");
  }

  function readCopy(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function forgetCopy(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* storage disabled */ }
  }

  function fieldValues() {
    var values = {};
    FIELDS.forEach(function (name) {
      var field = editor.elements[name];
      if (field) values[name] = field.value;
    });
    return values;
  }

  function sameValues(a, b) {
    return FIELDS.every(function (name) { return (a[name] || "") === (b[name] || ""); });
  }

  function keepCopy() {
    var values = fieldValues();
    if (sameValues(values, savedValues)) { forgetCopy(storageKey()); return; }
    try {
      window.localStorage.setItem(storageKey(), JSON.stringify({values: values, at: Date.now()}));
    } catch (e) { /* storage full or disabled: the server copy is all there is */ }
  }

  function setStatus(state, text) {
    var status = document.getElementById("autosave-status");
    if (!status) return;
    status.className = "autosave-status autosave-" + state;
    status.setAttribute("data-state", state);
    status.textContent = text;
  }

  function statusState() {
    var status = document.getElementById("autosave-status");
    return status ? status.getAttribute("data-state") : "";
  }

  var refreshToken = window.Journal.refreshToken;

  function needLogin() {
    setStatus("login", "Not saved — log in again (in another tab). Your text stays here.");
  }

  var retryDelay = 2000, retryTimer = null, tokenRetried = false;

  function retrySoon() {
    setStatus("retrying", "Not saved — retrying");
    if (retryTimer) return;
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      htmx.trigger(editor, "journal:retry");
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  function afterLogin() {
    if (statusState() !== "login") return;
    refreshToken().then(function (ok) {
      if (ok) { tokenRetried = false; htmx.trigger(editor, "journal:retry"); }
    });
  }

  var savedValues = {}, sentValues = null, submitting = false, tokenChecked = false;
  var inFlight = false, waitingSubmitter = null;

  if (editor) {
    // A re-rendered form after a failed save holds text the journal does not have yet.
    if (editor.getAttribute("data-unsaved") !== "true") savedValues = fieldValues();

    var offer = document.getElementById("local-copy-offer");
    var copy = readCopy(storageKey());
    if (copy && copy.values && sameValues(copy.values, fieldValues())) {
      forgetCopy(storageKey());
    } else if (copy && copy.values && offer) {
      offer.querySelector("[data-local-copy-time]").textContent =
        window.Journal.formatDateTime(new Date(copy.at));
      offer.hidden = false;
      offer.addEventListener("click", function (event) {
        var choice = event.target.getAttribute("data-local-copy");
        if (choice === "restore") {
          FIELDS.forEach(function (name) {
            var field = editor.elements[name];
            if (field && name in copy.values) field.value = copy.values[name];
          });
          editor.elements.body.dispatchEvent(new Event("input", {bubbles: true}));
        } else if (choice === "discard") {
          forgetCopy(storageKey());
        } else {
          return;
        }
        offer.hidden = true;
      });
    }

    // Copying a long body on every key would be slow: at most every half second, and on leaving.
    var copyTimer = null;
    editor.addEventListener("input", function () {
      if (copyTimer) return;
      copyTimer = window.setTimeout(function () { copyTimer = null; keepCopy(); }, 500);
    });
    window.addEventListener("pagehide", keepCopy);

    editor.addEventListener("htmx:confirm", function (event) {
      if (event.detail.elt === editor && submitting) event.preventDefault();
    });
    editor.addEventListener("htmx:beforeRequest", function (event) {
      if (event.detail.elt !== editor) return;
      inFlight = true;
      sentValues = fieldValues();
      setStatus("saving", "Saving…");
    });
    editor.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt !== editor) return;
      inFlight = false;
      if (waitingSubmitter !== null) {
        // Save was pressed while this autosave was on its way: submit now, to the right URL.
        var submitter = waitingSubmitter;
        waitingSubmitter = null;
        window.setTimeout(function () { editor.requestSubmit(submitter || undefined); }, 0);
      }
      if (!event.detail.successful) return;
      retryDelay = 2000;
      tokenRetried = false;
      if (statusState() === "saved" && sentValues) {
        savedValues = sentValues;
        var header = document.getElementById("editor-header");
        if (header && header.getAttribute("data-page-title")) {
          document.title = header.getAttribute("data-page-title");
        }
        var form = document.getElementById("editor-state");
        var action = form && form.getAttribute("data-action");
        if (action && editor.getAttribute("action") !== action) {
          editor.setAttribute("action", action); // the first autosave created the review
          forgetCopy(storageKey("new"));
        }
        keepCopy();
      }
    });
    editor.addEventListener("htmx:responseError", function (event) {
      if (event.detail.elt !== editor) return;
      var xhr = event.detail.xhr;
      var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
      var status = doc.getElementById("autosave-status");
      if (xhr.status === 401 || xhr.status === 400) {
        // An ended session or a stale CSRF token: a token from the current session fixes both.
        refreshToken().then(function (ok) {
          if (ok && !tokenRetried) { tokenRetried = true; htmx.trigger(editor, "journal:retry"); }
          else if (!ok) needLogin();
          else setStatus("error", "Not saved — " + responseText(xhr));
        });
      } else if (status) {
        setStatus(status.getAttribute("data-state") || "error", status.textContent);
      } else if (xhr.status >= 500) {
        retrySoon();
      } else {
        setStatus("error", "Not saved — " + responseText(xhr));
      }
    });
    editor.addEventListener("htmx:sendError", function (event) {
      if (event.detail.elt === editor) retrySoon();
    });

    window.addEventListener("focus", afterLogin);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") afterLogin();
    });

    editor.addEventListener("submit", function (event) {
      keepCopy();
      if (inFlight) {
        // A first autosave may be creating the review right now: wait for it (the form's
        // address changes from "new" to the review's own), then submit.
        event.preventDefault();
        waitingSubmitter = event.submitter || false;
        return;
      }
      if (tokenChecked) { tokenChecked = false; submitting = true; return; }
      // The session may have ended while the writer typed: a plain submit would land on a bare
      // 400 page. Make sure the page holds a token of the current session first; if there is
      // none, stay here with the text and say what to do.
      event.preventDefault();
      var submitter = event.submitter;
      refreshToken().then(function (ok) {
        if (!ok) {
          setStatus("login", "Not saved — your session has ended. Log in again in another tab, " +
            "then press Save here; your text stays.");
          return;
        }
        tokenChecked = true;
        editor.requestSubmit(submitter || undefined);  // its submit event runs at once
        tokenChecked = false;
      });
    });

    window.addEventListener("beforeunload", function (event) {
      if (submitting || sameValues(fieldValues(), savedValues)) return;
      keepCopy();
      event.preventDefault();
      event.returnValue = "";
    });
  }

  // Choosing a side of a conflict: this browser's copy of the refused text is in History now.
  document.addEventListener("submit", function (event) {
    var id = event.target.getAttribute && event.target.getAttribute("data-forget-local-copy");
    if (id) forgetCopy(STORE + id);
  });
})();