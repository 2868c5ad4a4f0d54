// The record of care given on a phone with a weak signal: each form keeps what was typed (in the
// page and in localStorage) until the server says it is recorded. A failed send says so and
// leaves everything in place; "Send" again re-posts the same entry id, recorded once.
(function () {
  "use strict";
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit";
    });
  }
  function save(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else data[el.name] = el.value;
    });
    try { localStorage.setItem(form.dataset.keep, JSON.stringify(data)); } catch (e) { /* private mode */ }
  }
  function restore(form) {
    var data;
    try { data = JSON.parse(localStorage.getItem(form.dataset.keep) || "null"); } catch (e) { data = null; }
    if (!data) return;
    fields(form).forEach(function (el) {
      if (!(el.name in data)) return;
      if (el.type === "radio") el.checked = el.value === data[el.name];
      else el.value = data[el.name];
    });
  }
  function say(form, text, bad) {
    var status = form.querySelector(".send-status");
    status.textContent = text;
    status.className = "send-status " + (bad ? "msg-error" : "msg-success");
  }
  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".js-error"), function (el) { el.remove(); });
  }
  function showErrors(form, errors) {
    Object.keys(errors).forEach(function (name) {
      var prefix = form.querySelector("[name$='-client_key']");
      var full = prefix ? prefix.name.replace("client_key", name) : name;
      var input = form.querySelector("[name='" + full + "']");
      var div = document.createElement("div");
      div.className = "errorlist js-error";
      div.setAttribute("role", "alert");
      div.textContent = errors[name].join(" ");
      if (input && input.type !== "hidden") input.closest(".field, p, div").appendChild(div);
      else form.insertBefore(div, form.firstChild.nextSibling);
    });
  }
  document.querySelectorAll("form.care-form").forEach(function (form) {
    restore(form);
    form.addEventListener("input", function () { save(form); });
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(form);
      clearErrors(form);
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      say(form, "Sending…", false);
      fetch(form.action || window.location.href, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: { "Accept": "application/json" },
      }).then(function (response) {
        if (response.status >= 500) throw new Error("server");
        return response.json().then(function (body) { return { status: response.status, body: body }; });
      }).then(function (result) {
        if (result.body.ok) {
          say(form, result.body.message, false);
          try { localStorage.removeItem(form.dataset.keep); } catch (e) { /* private mode */ }
          fields(form).forEach(function (el) {
            if (el.type === "radio") el.checked = false;
            else if (/client_key$/.test(el.name)) el.value = newKey();
            else if (el.type !== "hidden") el.value = "";
          });
          var list = document.querySelector(".care-entries");
          var none = list && list.querySelector(".none-yet");
          if (none) none.remove();
          if (list) { var li = document.createElement("li"); li.textContent = result.body.message; list.prepend(li); }
        } else {
          showErrors(form, result.body.errors || {});
          say(form, "Not recorded: check the fields marked.", true);
        }
      }).catch(function () {
        say(form, "Not sent — no signal? What you typed is kept here. Tap Send again.", true);
      }).finally(function () { button.disabled = false; });
    });
  });
})();
