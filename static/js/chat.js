// Live chat over the websocket. The page works without it (a form, then the page again);
// with it, messages arrive live. Message HTML comes sanitised from the server (nh3);
// names are set as text.
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || !window.WebSocket || !window.JSON) return;
  var log = root.querySelector(".chat-log");
  var form = root.querySelector(".chat-form");
  var textarea = form.querySelector("textarea");
  var notice = root.querySelector(".chat-error");
  var count = root.querySelector(".presence-count");
  var data = root.dataset;
  var moderator = data.moderator === "1";
  var me = data.me;
  var socket = null;
  var delay = 1000;
  var lastSent = "";
  var lastSentBody = "";
  var finished = false;
  var clock;
  try {
    clock = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      hour: "2-digit", minute: "2-digit", hour12: false, timeZone: data.zone || undefined
    });
  } catch (error) {
    clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hour12: false });
  }

  function say(text, isError) {
    notice.textContent = text;
    notice.hidden = !text;
    notice.classList.toggle("error", !!isError);
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  var editWindow = parseInt(data.editMinutes || "15", 10) * 60 * 1000;

  function editable(authorId, createdAt) {
    return !!me && String(authorId) === me && Date.now() - new Date(createdAt) < editWindow;
  }

  function editButton(id) {
    var edit = document.createElement("button");
    edit.type = "button";
    edit.className = "link";
    edit.dataset.edit = id;
    edit.textContent = data.textEdit;
    return edit;
  }

  function actions(message) {
    var span = document.createElement("span");
    span.className = "message-actions";
    if (editable(message.author.id, message.created_at)) {
      span.appendChild(editButton(message.id));
      span.appendChild(document.createTextNode(" "));
    }
    if (moderator) {
      var hide = document.createElement("button");
      hide.type = "button";
      hide.className = "link";
      hide.dataset.hide = message.id;
      hide.textContent = data.textHide;
      span.appendChild(hide);
    }
    if (data.flagUrl && String(message.author.id) !== me) {
      var flag = document.createElement("a");
      flag.className = "flag-link";
      flag.href = data.flagUrl.replace("/0/", "/" + message.id + "/");
      flag.textContent = data.textFlag;
      span.appendChild(document.createTextNode(" "));
      span.appendChild(flag);
    }
    return span;
  }

  function render(message) {
    var item = document.createElement("li");
    item.id = "message-" + message.id;
    item.dataset.id = message.id;
    item.dataset.author = message.author.id || "";
    item.dataset.created = message.created_at;
    var who = document.createElement("strong");
    who.className = "who";
    who.textContent = message.author.name;
    var when = document.createElement("time");
    when.className = "muted";
    when.dateTime = message.created_at;
    when.textContent = clock.format(new Date(message.created_at));
    var body = document.createElement("div");
    body.className = "body";
    body.innerHTML = message.body_html;
    item.appendChild(who);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(when);
    if (message.edited) {
      var edited = document.createElement("small");
      edited.className = "muted edited";
      edited.textContent = " (" + data.textEdited + ")";
      item.appendChild(edited);
    }
    item.appendChild(body);
    item.appendChild(actions(message));
    return item;
  }

  function add(message) {
    var existing = document.getElementById("message-" + message.id);
    var stick = nearBottom();
    var item = render(message);
    if (existing) {
      existing.replaceWith(item);
    } else {
      var empty = log.querySelector(".empty");
      if (empty) empty.remove();
      log.appendChild(item);
      while (log.children.length > 300) log.removeChild(log.firstElementChild);
    }
    if (stick) log.scrollTop = log.scrollHeight;
  }

  function receive(event) {
    var frame = JSON.parse(event.data);
    if (frame.type === "history") {
      log.textContent = "";
      frame.messages.forEach(add);
      log.scrollTop = log.scrollHeight;
    } else if (frame.type === "message.new" || frame.type === "message.edited") {
      add(frame.message);
      if (frame.message.client_id && frame.message.client_id === lastSent) say("");
    } else if (frame.type === "message.hidden") {
      var gone = document.getElementById("message-" + frame.id);
      if (gone) gone.remove();
    } else if (frame.type === "message.held") {
      say(data.textHeld, false);
    } else if (frame.type === "presence") {
      count.textContent = frame.count;
    } else if (frame.type === "error") {
      say(frame.detail, true);
      if (!textarea.value && lastSentBody) textarea.value = lastSentBody; // nothing is lost
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + data.socket);
    socket.onopen = function () { delay = 1000; say(""); root.classList.add("live"); };
    socket.onmessage = receive;
    socket.onclose = function (event) {
      root.classList.remove("live");
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) {
        finished = true;
        say(event.code === 4401 ? data.textLogin : data.textClosed, true);
        form.hidden = true;
        return;
      }
      if (finished) return;
      say(data.textOffline, false);
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }

  form.addEventListener("submit", function (event) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;  // the form posts instead
    event.preventDefault();
    var body = textarea.value.trim();
    if (!body) return;
    lastSent = "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    lastSentBody = body;
    socket.send(JSON.stringify({ type: "message.send", body: body, client_id: lastSent }));
    textarea.value = "";
    say("");
  });

  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });

  // Editing one's own message (for 15 minutes): the body becomes a small form in place;
  // the server's message.edited frame replaces the whole line in every open chat.
  function startEdit(item) {
    if (item.querySelector(".edit-form")) return;
    var body = item.querySelector(".body");
    var editForm = document.createElement("form");
    editForm.className = "edit-form";
    var area = document.createElement("textarea");
    area.maxLength = 2000;
    area.rows = 2;
    area.value = body.innerText.trim();
    area.setAttribute("aria-label", data.textEditLabel);
    var save = document.createElement("button");
    save.type = "submit";
    save.textContent = data.textSave;
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary";
    cancel.textContent = data.textCancel;
    editForm.appendChild(area);
    editForm.appendChild(save);
    editForm.appendChild(cancel);
    body.hidden = true;
    body.after(editForm);
    area.focus();
    cancel.addEventListener("click", function () { editForm.remove(); body.hidden = false; });
    editForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = area.value.trim();
      if (!text || !socket || socket.readyState !== WebSocket.OPEN) return;
      socket.send(JSON.stringify({
        type: "message.edit", id: parseInt(item.dataset.id, 10), body: text
      }));
    });
  }

  Array.prototype.forEach.call(log.querySelectorAll("li[data-author]"), function (item) {
    if (!editable(item.dataset.author, item.dataset.created)) return;
    var span = item.querySelector(".message-actions");
    span.insertBefore(document.createTextNode(" "), span.firstChild);
    span.insertBefore(editButton(item.dataset.id), span.firstChild);
  });

  log.addEventListener("click", function (event) {
    var editing = event.target.closest("button[data-edit]");
    if (editing) {
      startEdit(editing.closest("li"));
      return;
    }
    var button = event.target.closest("button[data-hide]");
    if (button && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "message.hide", id: parseInt(button.dataset.hide, 10) }));
    }
  });
  log.addEventListener("submit", function (event) {
    var hideForm = event.target.closest("form.hide-form");
    if (!hideForm || !socket || socket.readyState !== WebSocket.OPEN) return;
    event.preventDefault();
    var item = hideForm.closest("li");
    socket.send(JSON.stringify({ type: "message.hide", id: parseInt(item.dataset.id, 10) }));
  });

  connect();
})();
