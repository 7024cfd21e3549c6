/* «Получать молнии»: subscribes this browser to web push with the site's VAPID key and hands the
   subscription to the server; «Отписаться» undoes both. The button stays hidden where the browser
   has no Push API. Pages are cached and shared, so the CSRF token is fetched when needed, as
   comments.js does. */
(function () {
  "use strict";
  var box = document.querySelector("[data-push-key]");
  if (!box || !window.fetch || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  var button = box.querySelector("button");
  var status = box.querySelector("[data-push-status]");
  var registration = null;
  var subscribed = false;

  function show(on) {
    subscribed = on;
    button.textContent = on ? box.dataset.labelOff : box.dataset.labelOn; // the label says it all
  }

  function say(text) { status.textContent = text || ""; }

  function keyBytes(text) {
    var base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function post(url, body) {
    return fetch(box.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        return fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": data.token },
          body: JSON.stringify(body)
        });
      })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) throw new Error(data.error || box.dataset.failed);
          return data;
        });
      });
  }

  function subscribe() {
    return registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(box.dataset.pushKey)
    }).then(function (subscription) {
      return post(box.dataset.subscribeUrl, subscription.toJSON()).then(function (data) {
        show(true);
        say(data.message);
      }, function (error) {
        // The server did not take it: keep browser and server in step.
        return subscription.unsubscribe().then(function () { throw error; });
      });
    });
  }

  function unsubscribe() {
    return registration.pushManager.getSubscription().then(function (subscription) {
      if (!subscription) return { message: "" };
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return post(box.dataset.unsubscribeUrl, { endpoint: endpoint });
      });
    }).then(function (data) {
      show(false);
      say(data.message);
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    say("");
    var action = subscribed ? unsubscribe() : subscribe();
    action.catch(function (error) {
      say(window.Notification && Notification.permission === "denied" ? box.dataset.denied : error.message || box.dataset.failed);
    }).then(function () { button.disabled = false; });
  });

  navigator.serviceWorker.register(box.dataset.workerUrl, { scope: "/" }).then(function (reg) {
    registration = reg;
    return reg.pushManager.getSubscription();
  }).then(function (subscription) {
    show(!!subscription);
    box.hidden = false;
  }).catch(function () { /* no service worker here (private mode…): no button */ });
})();
