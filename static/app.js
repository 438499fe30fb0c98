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
    if (isAutosave(event)) return; // the editor's status line tells (see below)
    showMessage(responseText(event.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (isAutosave(event)) return;
    showMessage("The journal could not be reached. Your text is still here; try again when you are back online.");
  });

  // Never lose a word: the editor autosaves (htmx attributes on the form), keeps a copy of
  // unsaved text in this browser, offers it back after a crash, reload or expired login,
  // fetches a fresh CSRF token after a new login, and asks before leaving unsaved changes.
  var FIELDS = ["title", "work_title", "original_title", "media_type", "year", "where_to_watch",
    "episodes", "runtime_minutes", "rating", "verdict", "body", "tags"];
  var STORE = "journal:unsaved:";
  var editor = document.getElementById("review-form");

  function isAutosave(event) {
    return !!editor && event.detail && event.detail.elt === editor;
  }

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

  function setToken(token) {
    document.body.setAttribute("hx-headers", JSON.stringify({"X-CSRFToken": token}));
    document.querySelectorAll("input[name=csrf_token]").forEach(function (input) {
      input.value = token;
    });
  }

  // Resolves true with a fresh token in the page, false when the writer must log in again.
  function refreshToken() {
    return fetch(editor.getAttribute("data-token-url"), {
      credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) return false;
      return response.json().then(function (data) { setToken(data.csrf_token); return true; });
    }).catch(function () { return false; });
  }

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

  var savedValues = {}, sentValues = null, submitting = false;
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
        new Date(copy.at).toLocaleString();
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
      var state = statusState();
      if ((state === "login" || state === "error") && !editor.hasAttribute("data-token-fresh")) {
        // The page's token may belong to an ended session: fetch a fresh one, then submit.
        event.preventDefault();
        var submitter = event.submitter;
        refreshToken().then(function (ok) {
          if (!ok) { needLogin(); return; }
          editor.setAttribute("data-token-fresh", "");
          editor.requestSubmit(submitter);
        });
        return;
      }
      submitting = true;
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

// Genres in the editor: the "Tags" text field stays the source of truth (it works without
// JavaScript); this adds keyboard and mouse picking from the htmx-fetched listbox of suggestions,
// and removable chips drawn from the field's comma-separated text.
(function () {
  "use strict";

  function key(name) { return name.trim().replace(/\s+/g, " ").toLowerCase(); }

  function names(value) {
    var seen = {}, out = [];
    value.split(",").forEach(function (part) {
      var name = part.trim().replace(/\s+/g, " ");
      if (name && !seen[key(name)]) { seen[key(name)] = true; out.push(name); }
    });
    return out;
  }

  function parts(picker) {
    return {
      input: picker.querySelector("input[name=tags]"),
      box: picker.querySelector("#tag-suggestions"),
      chips: picker.querySelector(".tag-chips")
    };
  }

  function options(picker) {
    return Array.prototype.slice.call(picker.querySelectorAll("[role=option]"));
  }

  function close(picker) {
    var p = parts(picker);
    p.box.replaceChildren();
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function activate(picker, index) {
    var opts = options(picker), input = parts(picker).input;
    opts.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (opts[index]) {
      input.setAttribute("aria-activedescendant", opts[index].id);
      opts[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function activeIndex(picker) {
    return options(picker).findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
  }

  function setNames(picker, list, trailing) {
    var input = parts(picker).input;
    input.value = list.join(", ") + (trailing && list.length ? ", " : "");
    drawChips(picker);
  }

  function pick(picker, option) {
    var input = parts(picker).input;
    var segments = input.value.split(",");
    segments[segments.length - 1] = option.getAttribute("data-name");
    setNames(picker, names(segments.join(",")), true);
    close(picker);
    input.focus();
  }

  function drawChips(picker) {
    var p = parts(picker), value = p.input.value;
    if (document.activeElement === p.input && !/,\s*$/.test(value)) {
      value = value.slice(0, Math.max(0, value.lastIndexOf(",")));  // the name being typed is no chip yet
    }
    var list = names(value);
    p.chips.replaceChildren();
    list.forEach(function (name, i) {
      var li = document.createElement("li");
      var label = document.createElement("span");
      label.className = "tag";
      label.id = "tag-chip-" + i;
      label.textContent = name;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "secondary outline";
      remove.textContent = "×";
      remove.setAttribute("aria-label", "Remove");
      remove.setAttribute("aria-describedby", label.id);
      // Keep the focus in the field on mousedown, so the blur redraw cannot swallow the click.
      remove.addEventListener("mousedown", function (event) { event.preventDefault(); });
      remove.addEventListener("click", function () {
        setNames(picker, names(p.input.value).filter(function (n) { return key(n) !== key(name); }), true);
        p.input.focus();
      });
      label.appendChild(remove);
      li.appendChild(label);
      p.chips.appendChild(li);
    });
    p.chips.hidden = list.length === 0;
  }

  function setUp(picker) {
    if (picker.dataset.ready) return;
    picker.dataset.ready = "1";
    var p = parts(picker);
    drawChips(picker);
    p.input.addEventListener("input", function () { drawChips(picker); });
    p.input.addEventListener("keydown", function (event) {
      var opts = options(picker), index = activeIndex(picker);
      if (!opts.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        activate(picker, (index + step + opts.length) % opts.length);
      } else if (event.key === "Enter" && index >= 0) {
        event.preventDefault();  // pick the genre, do not submit the review
        pick(picker, opts[index]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close(picker);
      }
    });
    p.input.addEventListener("blur", function (event) {
      close(picker);
      // Redrawing now would replace the chip button that is taking the focus, losing its click.
      if (!picker.contains(event.relatedTarget)) drawChips(picker);
    });
    p.input.addEventListener("focus", function () { drawChips(picker); });
    // mousedown, not click: picking must happen before the field loses focus and closes the list.
    p.box.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { event.preventDefault(); pick(picker, option); }
    });
    p.box.addEventListener("htmx:afterSwap", function () {
      var open = options(picker).length > 0 && document.activeElement === p.input;
      if (!open) p.box.replaceChildren();
      p.input.setAttribute("aria-expanded", open ? "true" : "false");
      p.input.removeAttribute("aria-activedescendant");
    });
  }

  function init() {
    document.querySelectorAll("[data-tag-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("htmx:load", init);
})();
