/* The live rota page: keeps one WebSocket to ws/rota/<pk>/, applies numbered changes in order,
   resynchronises after a gap, a reconnect and every 15 s, shows when it is offline, and swipes
   between weeks.
   Cards arrive as the same server-rendered _shift_card.html the page was built from. */
(function () {
  "use strict";

  var rota = document.getElementById("rota");
  if (!rota) { return; }

  // An open socket can miss changes without closing: a broadcast made while Redis restarted reaches
  // nobody. Saying hello now and then asks the server for anything after lastSeq.
  var RESYNC_EVERY = 15000;
  // The server answers every hello at once; silence this long means the connection is gone even
  // though the socket has not noticed (a phone losing its network keeps "open" sockets for minutes).
  var ANSWER_WITHIN = 5000;
  var OFFLINE = "Offline — changes will appear when you are back.";
  var REFUSED = { 4401: "Log in again to see live changes.", 4403: "You no longer have access to this rota.",
                  4404: "This rota is not available to you." };
  var status = document.getElementById("live-status");
  var banner = document.getElementById("needs-cover-banner");
  var week = rota.dataset.week;
  var me = rota.dataset.user || "";
  var lastSeq = parseInt(rota.dataset.seq, 10) || 0;
  var pending = {};
  var socket = null;
  var retry = 0;
  var retryTimer = null;
  var gapTimer = null;
  var answerTimer = null;

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  function markMine(card) {
    if (me && card.dataset.pa === me) { card.classList.add("mine"); }
  }

  function placeCard(message, highlight) {
    var old = rota.querySelector('[data-shift-id="' + message.shift_id + '"]');
    if (old) { old.parentNode.removeChild(old); }
    if (message.week !== week) { return; }
    var list = rota.querySelector('ul.shift-list[data-day="' + message.day + '"]');
    if (!list) { return; }
    var template = document.createElement("template");
    template.innerHTML = message.html.trim();
    var card = template.content.firstElementChild;
    var at = Date.parse(card.dataset.start);
    var before = null;
    for (var i = 0; i < list.children.length; i++) {
      if (Date.parse(list.children[i].dataset.start) > at) { before = list.children[i]; break; }
    }
    list.insertBefore(card, before);
    markMine(card);
    if (highlight) { card.classList.add("arrived"); }
  }

  function showNeedsCover(total) {
    if (!banner || typeof total !== "number") { return; }
    banner.hidden = total === 0;
    var count = banner.querySelector("[data-needs-cover-count]");
    if (count) { count.textContent = String(total); }
  }

  function apply(message) {
    placeCard(message, true);
    showNeedsCover(message.needs_cover_total);
    if (message.notice) { setStatus("notice", message.notice); }
    lastSeq = message.seq;
  }

  function flushPending() {
    while (pending[lastSeq + 1]) {
      var next = pending[lastSeq + 1];
      delete pending[lastSeq + 1];
      apply(next);
    }
    Object.keys(pending).forEach(function (seq) { if (+seq <= lastSeq) { delete pending[seq]; } });
    if (Object.keys(pending).length === 0 && gapTimer) { clearTimeout(gapTimer); gapTimer = null; }
    rota.dataset.seq = String(lastSeq);
  }

  function hello() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "hello", last_seq: lastSeq, week: week }));
      if (!answerTimer) { answerTimer = setTimeout(goOffline, ANSWER_WITHIN); }
    }
  }

  function goOffline() {
    answerTimer = null;
    if (status.dataset.state === "refused") { return; }
    setStatus("offline", OFFLINE);
    if (socket) {
      var dead = socket;
      socket = null;  // before close(): its onclose must not touch the next socket
      dead.close();
    }
    scheduleReconnect();
  }

  function onChange(message) {
    if (message.seq <= lastSeq) { return; }
    if (message.seq > lastSeq + 1) {
      // A gap: broadcasts from two servers can cross. Wait briefly, then ask for what is missing.
      pending[message.seq] = message;
      if (!gapTimer) { gapTimer = setTimeout(function () { gapTimer = null; hello(); }, 800); }
      return;
    }
    apply(message);
    flushPending();
  }

  function onSnapshot(message) {
    if (message.week === week) {
      Array.prototype.forEach.call(rota.querySelectorAll("ul.shift-list"), function (list) {
        while (list.firstChild) { list.removeChild(list.firstChild); }
      });
      message.cards.forEach(function (card) { placeCard(card, false); });
    }
    showNeedsCover(message.needs_cover_total);
    lastSeq = message.seq;
    flushPending();
  }

  function connect() {
    retryTimer = null;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + window.location.host + rota.dataset.wsPath);
    socket = ws;
    ws.onopen = function () {
      if (socket !== ws) { return; }
      retry = 0;
      hello();
    };
    ws.onmessage = function (event) {
      if (socket !== ws) { return; }
      if (answerTimer) { clearTimeout(answerTimer); answerTimer = null; }
      if (status.dataset.state !== "online" && status.dataset.state !== "notice") { setStatus("online", "Live"); }
      var message = JSON.parse(event.data);
      if (message.type === "change") { onChange(message); }
      else if (message.type === "snapshot") { onSnapshot(message); }
      else if (message.type === "synced") { flushPending(); }
    };
    ws.onclose = function (event) {
      if (socket !== ws) { return; }
      socket = null;
      if (answerTimer) { clearTimeout(answerTimer); answerTimer = null; }
      if (REFUSED[event.code]) { setStatus("refused", REFUSED[event.code]); return; }
      setStatus("offline", OFFLINE);
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    if (retryTimer) { return; }
    var delay = Math.min(15000, 1000 * Math.pow(2, retry)) * (0.75 + Math.random() / 2);
    retry += 1;
    retryTimer = setTimeout(connect, delay);
  }

  function reconnectNow() {
    if (socket || status.dataset.state === "refused") { return; }
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    connect();
  }

  window.addEventListener("online", reconnectNow);
  window.addEventListener("offline", goOffline);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { reconnectNow(); } });

  // Swipe left or right across the week to move a week on or back.
  var touchX = null, touchY = null;
  rota.addEventListener("touchstart", function (event) {
    touchX = event.changedTouches[0].clientX;
    touchY = event.changedTouches[0].clientY;
  }, { passive: true });
  rota.addEventListener("touchend", function (event) {
    if (touchX === null) { return; }
    var dx = event.changedTouches[0].clientX - touchX;
    var dy = event.changedTouches[0].clientY - touchY;
    touchX = touchY = null;
    if (Math.abs(dx) > 80 && Math.abs(dy) < 60) {
      var link = document.querySelector('[data-swipe="' + (dx > 0 ? "prev" : "next") + '"]');
      if (link) { window.location.href = link.href; }
    }
  }, { passive: true });

  Array.prototype.forEach.call(rota.querySelectorAll(".shift-card"), markMine);
  setInterval(hello, RESYNC_EVERY);
  connect();
}());
