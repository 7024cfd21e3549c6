/* A live broadcast's posts, live: a new, changed or removed post appears without a reload.
   The page renders <ol data-channel="live-42" data-channel-last="<newest event id>"> with its
   posts as <li data-key data-ts data-pinned> (the cursor before the posts, so nothing written in
   between is lost). Progressive enhancement: without this script the server-rendered list stays.

   One EventSource per list on the feed's stream (/news/stream/?channel=…, or data-channel-stream):
   - "upsert": the post's ready <li> (`html`) replaces the one with its key, or is inserted in
     order: pinned (data-pinned="1") on top, then newest first by data-ts;
   - "remove": the post with that key goes;
   - "reset" (the reader was away too long for a replay): the page reloads, as the simplest way
     to get every post as it is now.
   A dropped connection is resumed by EventSource with Last-Event-ID (once, in order: the server
   replays what was missed); if the browser gives up (the stream answered an error), the script
   reopens it after a growing pause, from the last event it applied. */
(function () {
  "use strict";
  if (!("EventSource" in window) || !("content" in document.createElement("template"))) return;
  var lists = Array.prototype.slice.call(document.querySelectorAll("ol[data-channel][data-channel-last]"));
  var NEW = "live-channel__item--new";

  function element(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function posts(list) {
    return Array.prototype.slice.call(list.children).filter(function (item) {
      return item.tagName === "LI" && item.hasAttribute("data-key");
    });
  }

  function byKey(list, key) {
    var current = posts(list);
    for (var i = 0; i < current.length; i++) if (current[i].dataset.key === key) return current[i];
    return null;
  }

  // Pinned first, then newest first: the order the server renders.
  function before(item, other) {
    var pinned = item.dataset.pinned === "1", otherPinned = other.dataset.pinned === "1";
    if (pinned !== otherPinned) return pinned;
    return parseFloat(item.dataset.ts) >= parseFloat(other.dataset.ts);
  }

  function place(list, item) {
    var current = posts(list);
    for (var i = 0; i < current.length; i++) {
      if (before(item, current[i])) { list.insertBefore(item, current[i]); return; }
    }
    list.appendChild(item);
  }

  function highlight(item) {
    item.classList.add(NEW);
    setTimeout(function () { item.classList.remove(NEW); }, 4000);
  }

  function apply(list, change) {
    var old = byKey(list, change.key);
    if (change.kind === "remove") {
      if (old) old.remove();
      return;
    }
    if (change.kind !== "upsert" || !change.html) return;
    var item = element(change.html);
    if (!item) return;
    if (!item.dataset.key) item.dataset.key = change.key;
    if (old && old.dataset.pinned === item.dataset.pinned && old.dataset.ts === item.dataset.ts) {
      old.replaceWith(item); // same place: an edit stays where the reader sees it
    } else {
      if (old) old.remove();
      place(list, item);
    }
    var empty = list.querySelector(":scope > [data-channel-empty]");
    if (empty) empty.remove();
    highlight(item);
  }

  function follow(list) {
    var base = list.dataset.channelStream || "/news/stream/";
    var last = parseInt(list.dataset.channelLast, 10) || 0;
    var pause = 2000;

    function open() {
      var source = new EventSource(
        base + (base.indexOf("?") < 0 ? "?" : "&") + "channel=" + encodeURIComponent(list.dataset.channel) +
        "&last_id=" + last
      );
      // For styles and tests: "open" while connected, "retrying" while reconnecting.
      source.onopen = function () { list.dataset.channelState = "open"; pause = 2000; };
      source.onerror = function () {
        list.dataset.channelState = "retrying";
        if (source.readyState === EventSource.CLOSED) { // the browser gave up: try again later
          setTimeout(open, pause);
          pause = Math.min(pause * 2, 60000);
        }
      };
      source.onmessage = function (event) {
        var change = JSON.parse(event.data);
        if (change.kind === "reset") { source.close(); window.location.reload(); return; }
        if (change.id <= last) return; // already applied (a reopened stream replays from `last`)
        last = change.id;
        list.dataset.channelLast = String(last);
        apply(list, change);
      };
    }
    open();
  }

  lists.forEach(follow);
})();
