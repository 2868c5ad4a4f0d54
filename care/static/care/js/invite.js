// The invitation form: show a clinician's register fields and a PA's rates only when that
// role is chosen, so a parent on a phone sees four boxes, not nine. Without JavaScript all show.
(function () {
  "use strict";
  var form = document.getElementById("invite-form");
  if (!form) { return; }
  var only = { clinician: ["register", "registration_number", "organisation"], pa: ["hourly_rate", "sleep_in_rate", "rate_checked"] };
  function update() {
    var checked = form.querySelector("input[name=role]:checked");
    var role = checked ? checked.value : "";
    Object.keys(only).forEach(function (forRole) {
      only[forRole].forEach(function (name) {
        var input = document.getElementById("id_" + name);
        var box = input && input.closest(".field");
        if (box) { box.hidden = role !== forRole && !box.classList.contains("has-error"); }
      });
    });
  }
  form.addEventListener("change", update);
  update();
}());
