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
    // A genre made or removed here is a change like typing: the editor autosaves it.
    input.dispatchEvent(new Event("input", {bubbles: true}));
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
      var typing = p.input.value.split(",").pop().trim();
      if (event.key === "Enter" && index < 0 && typing) {
        event.preventDefault();  // Enter makes the genre being typed, as a comma would
        setNames(picker, names(p.input.value), true);
        close(picker);
        return;
      }
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
