/* Vestnik's service worker (served at /sw.js, scope "/"): shows «молнии» sent by web push and
   opens the article on a click. It does not touch page requests (no fetch handler), so the page
   cache, the live feed and the newsroom behave exactly as without it. */
"use strict";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  if (!data.body) return;
  event.waitUntil(self.registration.showNotification(data.title || "Молния", {
    body: data.body,
    tag: data.tag || undefined, // the same «молния» again replaces, never repeats
    data: { url: data.url || "/" },
    lang: "ru"
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = new URL(event.notification.data && event.notification.data.url || "/", self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === url && "focus" in windows[i]) return windows[i].focus();
    }
    return self.clients.openWindow(url);
  }));
});
