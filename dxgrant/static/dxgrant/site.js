/* dxgrant's behaviours, one file for every page: the Content Security Policy allows no inline
   script, so pages ask for a behaviour with data attributes and this file supplies it. Texts a
   behaviour shows come from the page (data-msg-*), translated by the server. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }

  function halfWidthDigits(value) {
    return value.replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); });
  }

  // One click sends once: a form's [data-once] buttons are disabled right after a submit that goes
  // ahead (the server also refuses a repeat). A submit another behaviour held back is not counted.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) { return; }
    setTimeout(function () {
      form.querySelectorAll("button[data-once]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });

  ready(function () {
    // An explicit save waits for an autosave in flight, so it carries the revision that
    // autosave produced (forms with data-autosave count their requests, page-wide: two forms
    // of one page may share a revision, the results report's lines and outcome).
    var pending = 0, waiting = null;
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      form.addEventListener("htmx:beforeRequest", function () { pending += 1; });
      form.addEventListener("htmx:afterRequest", function () {
        pending = Math.max(0, pending - 1);
        if (pending === 0 && waiting) {
          var held = waiting; waiting = null;
          setTimeout(function () { held.form.requestSubmit(held.submitter); }, 100);
        }
      });
      form.addEventListener("submit", function (event) {
        if (pending > 0) {
          event.preventDefault();
          event.stopImmediatePropagation();
          waiting = { form: form, submitter: event.submitter };
        }
      }, true);
    });

    // Other autosaving forms: "save" waits for an autosave still on its way, so the two never
    // race on the revision.
    document.querySelectorAll("form[hx-post]:not([data-autosave])").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!form.classList.contains("htmx-request")) { return; }
        event.preventDefault();
        var submitter = event.submitter;
        form.addEventListener("htmx:afterRequest", function () { form.requestSubmit(submitter); }, { once: true });
      });
    });

    // The character count as the reader counts it (line breaks are not counted), next to the text.
    document.querySelectorAll("[data-char-count]").forEach(function (out) {
      var area = document.getElementById(out.dataset.charCount);
      if (!area) { return; }
      var max = parseInt(out.dataset.max, 10);
      function show() {
        var n = area.value.replace(/[\r\n]/g, "").length;
        out.textContent = n + " / " + max + (out.dataset.unit || "") + (n > max ? " " + (out.dataset.msgOver || "") : "");
      }
      area.addEventListener("input", show);
      show();
    });

    // The firm's registration: "住所を検索" fills prefecture and city from the site's own API,
    // and says what happened.
    var lookup = document.querySelector("[data-postal-lookup]");
    if (lookup) {
      var status = document.getElementById(lookup.dataset.status);
      var code = document.getElementById("id_postal_code");
      if (code && status) {
        // Next to the postal code: it is where people look for it.
        code.parentNode.appendChild(lookup.parentNode);
        lookup.addEventListener("click", function () {
          var digits = halfWidthDigits(code.value).replace(/[^0-9]/g, "");
          status.textContent = "";
          if (digits.length !== 7) { status.textContent = lookup.dataset.msgDigits; return; }
          fetch(lookup.dataset.url.replace("0000000", digits), { headers: { "Accept": "application/json" } })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (a) {
              if (!a) { status.textContent = lookup.dataset.msgUnknown; return; }
              document.getElementById("id_prefecture").value = a.prefecture;
              document.getElementById("id_city").value = a.city;
              var line = document.getElementById("id_address_line");
              if (!line.value) { line.value = a.town; }
              status.textContent = lookup.dataset.msgFilled;
              line.dispatchEvent(new Event("change", { bubbles: true }));
              line.focus();
            })
            .catch(function () { status.textContent = lookup.dataset.msgFailed; });
        });
      }
    }

    // The application's company profile: a postal code fills the empty address fields, from the
    // site's own API (no third party).
    var autofill = document.querySelector("form[data-postal-autofill]");
    var postal = autofill && autofill.querySelector("#id_postal_code");
    if (postal) {
      postal.addEventListener("change", function () {
        var digits = halfWidthDigits(postal.value).replace(/[^0-9]/g, "");
        if (digits.length !== 7) { return; }
        fetch(autofill.dataset.postalAutofill.replace("0000000", digits), { headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (a) {
            if (!a) { return; }
            var pref = document.getElementById("id_prefecture");
            var city = document.getElementById("id_city");
            var line = document.getElementById("id_address_line");
            if (pref && !pref.value) { pref.value = a.prefecture; }
            if (city && !city.value) { city.value = a.city; }
            if (line && !line.value) { line.value = a.town; }
          });
      });
    }
  });

  // After an answer replaces a part of the page (the self-check), bring the result into view
  // and give it focus, so that screen-reader and phone users land on it, not on an emptied button.
  document.addEventListener("htmx:afterSwap", function (event) {
    var swapped = event.detail && event.detail.target;
    if (!swapped || !swapped.hasAttribute("data-focus-result")) { return; }
    var target = swapped.querySelector("[data-result]") || document.getElementById("error-summary");
    if (target) { target.focus(); target.scrollIntoView({ block: "start" }); }
  });

  // A table's scroll hint is shown only while the table is wider than its box (without this
  // script every hint shows on a narrow screen).
  function markScrollable() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      box.classList.toggle("fits", box.scrollWidth <= box.clientWidth + 1);
    });
  }
  ready(markScrollable);
  window.addEventListener("resize", markScrollable);
  document.addEventListener("htmx:afterSettle", markScrollable);
})();
