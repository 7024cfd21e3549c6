// The page editor: what is on screen when the editor saves or acts is what is stored, once.
// docs/newsroom.md «Согласование и автосохранение».
(function () {
  "use strict";

  // Draftail copies its text into the hidden input 250 ms after the last keystroke; a form
  // submitted sooner (a fast «Сохранить», Ctrl+S) used to carry the text as it was before.
  // Every way the form's data is read (submit button, Ctrl+S, the workflow modal's
  // form.submit(), new FormData(form)) fires `formdata`: copy the editors' text now.
  document.addEventListener(
    "formdata",
    function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("[data-edit-form]")) return;
      form.querySelectorAll("input").forEach(function (input) {
        var editor = input.draftailEditor;
        if (!input.name || !editor || typeof editor.saveState !== "function") return;
        editor.saveState();
        event.formData.set(input.name, input.value);
      });
    },
    true,
  );

  // One click, one request: a second submit while the first is on its way (double click,
  // Enter after a click) is dropped; the server refuses a repeated action anyway.
  function isEditForm(form) {
    return form && form.matches && form.matches("[data-edit-form]");
  }
  document.addEventListener(
    "submit",
    function (event) {
      if (isEditForm(event.target) && event.target.dataset.vestnikSubmitting) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );
  // Marked only once every other listener has let the submit go ahead.
  window.addEventListener("submit", function (event) {
    if (isEditForm(event.target) && !event.defaultPrevented) {
      event.target.dataset.vestnikSubmitting = "true";
    }
  });
  // A page restored from the back/forward cache may be submitted again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-vestnik-submitting]").forEach(function (form) {
      delete form.dataset.vestnikSubmitting;
    });
  });
})();
