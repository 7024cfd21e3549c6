/* The «Молния» banner: keeps the server-rendered banner (#breaking) current on cached pages.
   Asks /breaking/ when the page opens, when the reader comes back to the tab and every minute
   while it is visible; hides the banner at its end by the server's clock (`now` + Age), never the
   reader's. Without this script the server-rendered banner stays, and the page cache drops it at
   its end. */
(function () {
  "use strict";
  var box = document.getElementById("breaking");
  if (!box || !window.fetch) return;
  var link = box.querySelector(".breaking__link");
  var timer = null;
  var POLL = 60000;

  function hide() {
    box.hidden = true;
    box.removeAttribute("data-key");
  }

  function apply(data, age) {
    if (timer) { clearTimeout(timer); timer = null; }
    var item = data && data.item;
    var left = item ? (item.until - (data.now + age)) * 1000 : 0;
    if (!item || left <= 0) { hide(); return; }
    if (box.dataset.key !== item.key || link.textContent !== item.title) {
      link.textContent = item.title;
    }
    link.setAttribute("href", item.url);
    box.dataset.key = item.key;
    box.hidden = false;
    timer = setTimeout(hide, left);
  }

  function check() {
    // no-cache: the page cache's answers allow stale-while-revalidate, and a browser would show
    // the previous answer first; revalidating costs a 304 when nothing changed.
    fetch(box.dataset.src, {
      cache: "no-cache", credentials: "omit", headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        var age = parseFloat(response.headers.get("Age")) || 0;
        return response.json().then(function (data) { apply(data, age); });
      })
      .catch(function () { /* keep what the page shows; the next check may do better */ });
  }

  check();
  setInterval(function () { if (!document.hidden) check(); }, POLL);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) check(); });
})();
