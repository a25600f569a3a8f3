// One-click actions without a reload (forms marked data-async; without JavaScript they
// post and come back), and the moderator dashboard's live queue over /ws/moderation/.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;

  function setCounts(counts) {
    if (!counts) return;
    var total = document.getElementById("queue-total");
    if (total) total.textContent = counts.total;
    document.querySelectorAll("[data-count-for]").forEach(function (badge) {
      badge.textContent = counts.communities[badge.dataset.countFor] || "";
    });
  }

  function emptyQueueCheck() {
    var queue = document.getElementById("queue");
    if (queue && !queue.querySelector(".review-item") && !queue.querySelector(".empty-queue")) {
      var notice = document.createElement("p");
      notice.className = "panel empty-queue";
      notice.textContent = queue.dataset.emptyText || "✓";
      queue.appendChild(notice);
    }
  }

  function removeItem(selector) {
    var element = document.querySelector(selector);
    if (element) element.remove();
    emptyQueueCheck();
  }

  function fallback(form, submitter) {
    form.removeAttribute("data-async");
    if (submitter && submitter.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = submitter.name;
      hidden.value = submitter.value;
      form.appendChild(hidden);
    }
    form.submit();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-async]")) return;
    event.preventDefault();
    var submitter = event.submitter;
    var body = new FormData(form);
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    var result = form.querySelector(".result");
    // getAttribute: a field named "action" would shadow form.action
    fetch(form.getAttribute("action") || location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (json) { return { status: response.status, json: json }; });
    }).then(function (answer) {
      buttons.forEach(function (b) { b.disabled = false; });
      if (!answer.json.ok) {
        if (result) result.textContent = answer.json.detail; else window.alert(answer.json.detail);
        return;
      }
      if (form.dataset.remove) { removeItem(form.dataset.remove); setCounts(answer.json.counts); }
      if (form.hasAttribute("data-like")) {
        var button = form.querySelector("button");
        button.setAttribute("aria-pressed", answer.json.liked ? "true" : "false");
        form.querySelector(".like-count").textContent = answer.json.count;
      }
      if (form.hasAttribute("data-reload") || form.hasAttribute("data-mute")) window.location.reload();
    }).catch(function () { fallback(form, submitter); });
  });

  var summary = document.getElementById("queue-summary");
  if (!summary || !window.WebSocket) return;
  var queue = document.getElementById("queue");
  var delay = 1000;

  function addNewItems() {
    fetch(summary.dataset.fragment, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html;
        holder.content.querySelectorAll(".review-item").forEach(function (item) {
          if (!document.getElementById(item.id)) {
            var empty = queue.querySelector(".empty-queue");
            if (empty) empty.remove();
            queue.appendChild(item);
          }
        });
      });
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + summary.dataset.socket);
    var live = summary.querySelector(".live-state");
    socket.onopen = function () { delay = 1000; if (live) live.hidden = false; };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "counts") setCounts(frame);
      else if (frame.type === "added") addNewItems();
      else if (frame.type === "resolved") removeItem("#item-" + frame.id);
    };
    socket.onclose = function (event) {
      if (live) live.hidden = true;
      if (event.code === 4401 || event.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
