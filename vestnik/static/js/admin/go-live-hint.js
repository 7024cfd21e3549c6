// «Опубликовать в»: says what publishing will do before the editor presses the button.
// The field is Moscow time (UTC+3 all year); the text is read as the server reads it
// (vestnik/news/forms.py GO_LIVE_INPUT_FORMATS): 29.11.2026 18:33 or 2026-11-29 18:33.
(function () {
  "use strict";

  var MOSCOW_OFFSET_HOURS = 3;
  var MONTHS = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
  ];

  function parse(text) {
    var m = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(text);
    var y, mo, d, h, mi;
    if (m) {
      d = +m[1]; mo = +m[2]; y = m[3].length === 2 ? 2000 + +m[3] : +m[3]; h = +m[4]; mi = +m[5];
    } else {
      m = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::\d{2})?$/.exec(text);
      if (!m) return null;
      y = +m[1]; mo = +m[2]; d = +m[3]; h = +m[4]; mi = +m[5];
    }
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return null;
    var utc = Date.UTC(y, mo - 1, d, h - MOSCOW_OFFSET_HOURS, mi);
    // 31.02 and the like roll over in Date.UTC: refuse them, as the server does.
    var check = new Date(utc + MOSCOW_OFFSET_HOURS * 3600 * 1000);
    if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null;
    return { time: utc, y: y, mo: mo, d: d, h: h, mi: mi };
  }

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function describe(text) {
    text = text.trim();
    if (!text) {
      return "Поле пустое — статья выйдет сразу, как только её опубликуют.";
    }
    var t = parse(text);
    if (!t) {
      return "Не удалось понять дату и время. Пример: 29.11.2026 18:33 (московское время).";
    }
    if (t.time <= Date.now()) {
      return "Это время уже прошло — статья выйдет сразу, как только её опубликуют.";
    }
    var thisYear = new Date(Date.now() + MOSCOW_OFFSET_HOURS * 3600 * 1000).getUTCFullYear();
    var day = t.d + " " + MONTHS[t.mo - 1] + (t.y !== thisYear ? " " + t.y + " г." : "");
    return "Будет опубликовано " + day + " в " + pad(t.h) + ":" + pad(t.mi) + " (МСК). " +
      "До этого времени статья на сайте не видна.";
  }

  function bind(hint) {
    var input = document.getElementById(hint.getAttribute("data-go-live-hint"));
    if (!input || input.dataset.goLiveHintBound) return;
    input.dataset.goLiveHintBound = "1";
    var update = function () {
      hint.textContent = describe(input.value);
    };
    ["input", "change", "blur", "keyup"].forEach(function (name) {
      input.addEventListener(name, update);
    });
    update();
  }

  function bindAll() {
    document.querySelectorAll("[data-go-live-hint]").forEach(bind);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bindAll);
  } else {
    bindAll();
  }
})();
