// The bell's unread count, live over /ws/notifications/ (the page works without it).
(function () {
  var badge = document.getElementById("unread-count");
  if (!badge || !window.WebSocket) return;
  var delay = 1000;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + badge.dataset.socket);
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "unread") { badge.textContent = data.count; delay = 1000; }
    };
    socket.onclose = function (event) {
      if (event.code === 4401) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60000);
    };
  }
  connect();
})();
