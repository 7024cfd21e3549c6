/* Comment forms on a cached article page: the page carries no CSRF token (one copy serves every
   reader), so the token is fetched once, when a reader starts writing or sends. Without this
   script the server shows the comment back with a token to confirm (comments/views.py). */
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form.comment-form[data-token-url]"));
  if (!forms.length || !window.fetch) return;
  var pending = null;

  function token() {
    if (!pending) {
      pending = fetch(forms[0].dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          forms.forEach(function (form) { form.elements.csrfmiddlewaretoken.value = data.token; });
          return data.token;
        })
        .catch(function () { pending = null; }); // the server-side confirmation still works
    }
    return pending;
  }

  forms.forEach(function (form) {
    form.addEventListener("focusin", token, { once: true });
    form.addEventListener("submit", function (event) {
      if (form.elements.csrfmiddlewaretoken.value) return;
      event.preventDefault();
      token().then(function () { HTMLFormElement.prototype.submit.call(form); });
    });
  });
})();
