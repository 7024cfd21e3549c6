/* «Лента новостей», live: new lines appear on top, removed ones go, without a reload.
   Progressive enhancement: without this script (or EventSource) the server-rendered list stays.
   The server sends each change once with a ready <li>; a reconnect resumes after Last-Event-ID. */
(function () {
  "use strict";
  if (!("EventSource" in window) || !("content" in document.createElement("template"))) return;
  var lists = Array.prototype.slice.call(document.querySelectorAll("[data-feed-live]"));
  if (!lists.length) return;
  var last = 0;
  lists.forEach(function (list) { last = Math.max(last, parseInt(list.dataset.feedLast, 10) || 0); });
  var url = lists[0].dataset.feedLive;
  // The page's cursor for the first connection; EventSource sends Last-Event-ID on its own after.
  var source = new EventSource(url + (url.indexOf("?") < 0 ? "?" : "&") + "last_id=" + last);

  function element(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.firstElementChild;
  }

  function lines(list) {
    return Array.prototype.slice.call(list.querySelectorAll(":scope > .feed__item[data-key]"));
  }

  // Pinned first, then newest first: the order the server renders.
  function place(list, item) {
    var pinned = item.dataset.pinned === "1", ts = parseInt(item.dataset.ts, 10);
    var current = lines(list);
    for (var i = 0; i < current.length; i++) {
      var other = current[i], otherPinned = other.dataset.pinned === "1";
      if ((pinned && !otherPinned) || (pinned === otherPinned && ts >= parseInt(other.dataset.ts, 10))) {
        list.insertBefore(item, other);
        return true;
      }
    }
    var limit = parseInt(list.dataset.feedLimit, 10);
    if (limit && current.length >= limit) return false; // older than every line shown
    list.appendChild(item);
    return true;
  }

  function trim(list) {
    var limit = parseInt(list.dataset.feedLimit, 10), current = lines(list);
    if (limit) current.slice(Math.max(limit, 1)).forEach(function (item) { item.remove(); });
    var empty = list.querySelector(".feed__item--empty");
    if (empty && current.length) empty.remove();
  }

  // For styles and tests: "open" while connected, "retrying" while EventSource reconnects.
  source.onopen = function () { lists.forEach(function (list) { list.dataset.feedState = "open"; }); };
  source.onerror = function () { lists.forEach(function (list) { list.dataset.feedState = "retrying"; }); };

  source.onmessage = function (event) {
    var change = JSON.parse(event.data);
    lists.forEach(function (list) {
      if (change.kind === "reset") {
        lines(list).forEach(function (item) { item.remove(); });
        change.items.forEach(function (html) { list.appendChild(element(html)); });
        trim(list);
        return;
      }
      lines(list).forEach(function (item) { if (item.dataset.key === change.key) item.remove(); });
      if (change.kind === "upsert") {
        var item = element(change.html);
        if (place(list, item)) item.classList.add("feed__item--new");
      }
      trim(list);
    });
  };
})();
