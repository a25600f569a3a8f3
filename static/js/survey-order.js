// The survey editor's reordering by drag and by keyboard (templates: surveys/edit.html).
// Each question and section gets a handle: drag it (native HTML5 drag and drop), or focus
// it and press the up and down arrow keys. After each move the whole order is posted to
// the server, which checks and saves it in one transaction; if it refuses, the page goes
// back to the last saved order and says why. Without JavaScript the Up/Down buttons do it.
(function () {
  "use strict";
  var root = document.querySelector("#survey-order[data-reorder]");
  if (!root || !window.fetch || !window.URLSearchParams) return;
  var texts = root.dataset;
  var statusLine = document.getElementById("order-status");
  var errorLine = document.getElementById("order-error");
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var dragged = null;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_match, name) { return values[name]; });
  }

  function groups() { return Array.prototype.slice.call(root.querySelectorAll(".q-group")); }
  function listOf(group) { return group.querySelector("ol.q-list"); }
  function isSection(element) { return element.matches(".q-group[data-section]"); }

  // Every section and question as the server names them: "s<id>", "q<id>" in page order.
  function currentOrder() {
    var tokens = [];
    groups().forEach(function (group) {
      if (isSection(group)) tokens.push("s" + group.dataset.section);
      listOf(group).querySelectorAll("li[data-question]").forEach(function (item) {
        tokens.push("q" + item.dataset.question);
      });
    });
    return tokens;
  }

  function apply(tokens) {
    var group = groups().filter(function (g) { return !isSection(g); })[0];
    root.appendChild(group);
    tokens.forEach(function (token) {
      var id = token.slice(1);
      if (token[0] === "s") {
        group = root.querySelector('.q-group[data-section="' + id + '"]');
        root.appendChild(group);
      } else {
        listOf(group).appendChild(root.querySelector('li[data-question="' + id + '"]'));
      }
    });
  }

  var saved = currentOrder();
  var queue = Promise.resolve();

  function save() {
    queue = queue.then(function () {
      var tokens = currentOrder();  // read when sent: a failed earlier save may have reset it
      if (tokens.join() === saved.join()) return;
      var body = new URLSearchParams();
      body.append("csrfmiddlewaretoken", csrf);
      tokens.forEach(function (token) { body.append("order", token); });
      return fetch(root.dataset.reorder, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrf }
      }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        if (!answer.ok) throw { detail: answer.detail };  // the server's reason
        saved = tokens;
        errorLine.hidden = true;
      }).catch(function (error) {
        apply(saved);
        errorLine.textContent = (error && error.detail) || texts.textFailed;
        errorLine.hidden = false;
      });
    });
  }

  function announce(element) {
    if (isSection(element)) {
      var sections = groups().filter(isSection);
      statusLine.textContent = format(texts.textMovedSection, {
        name: element.dataset.name, n: sections.indexOf(element) + 1
      });
    } else {
      var group = element.closest(".q-group");
      var items = Array.prototype.slice.call(listOf(group).children);
      statusLine.textContent = format(texts.textMovedQuestion, {
        name: element.dataset.name,
        n: items.indexOf(element) + 1,
        group: isSection(group) ? group.dataset.name : texts.textOutside
      });
    }
  }

  // Keyboard: one place up or down; a question crosses into the next or previous section.
  function step(element, up) {
    if (isSection(element)) {
      var other = up ? element.previousElementSibling : element.nextElementSibling;
      if (!other || !other.matches(".q-group[data-section]")) return false;
      root.insertBefore(element, up ? other : other.nextSibling);
      return true;
    }
    var sibling = up ? element.previousElementSibling : element.nextElementSibling;
    if (sibling) {
      element.parentNode.insertBefore(element, up ? sibling : sibling.nextSibling);
      return true;
    }
    var group = element.closest(".q-group");
    var next = up ? group.previousElementSibling : group.nextElementSibling;
    if (!next || !next.matches(".q-group")) return false;
    var list = listOf(next);
    list.insertBefore(element, up ? null : list.firstChild);
    return true;
  }

  function addHandle(element, label, holder) {
    var handle = document.createElement("button");
    handle.type = "button";
    handle.className = "grab";
    handle.textContent = "⠿";
    handle.setAttribute("aria-label", format(label, { name: element.dataset.name }));
    handle.setAttribute("aria-describedby", "order-help");
    holder.insertBefore(handle, holder.firstChild);
    // Only the handle starts a drag: the rest of the row keeps its text selectable.
    handle.addEventListener("pointerdown", function () { element.draggable = true; });
    handle.addEventListener("pointerup", function () { element.draggable = false; });
    handle.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
      event.preventDefault();
      if (step(element, event.key === "ArrowUp")) {
        handle.focus();
        announce(element);
        save();
      }
    });
  }

  groups().forEach(function (group) {
    if (isSection(group)) addHandle(group, texts.textGrabSection, group.querySelector("h3"));
    group.querySelectorAll("li[data-question]").forEach(function (item) {
      addHandle(item, texts.textGrabQuestion, item);
    });
  });

  root.addEventListener("dragstart", function (event) {
    var element = event.target;
    if (!element.matches || !element.matches("li[data-question], .q-group[data-section]")) return;
    dragged = element;
    element.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", element.dataset.name);
  });

  root.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var target = event.target.closest ? event.target : event.target.parentElement;
    var place;
    if (isSection(dragged)) {
      place = target.closest(".q-group[data-section]");
      if (!place || place === dragged) return;
    } else {
      place = target.closest("li[data-question]") || target.closest(".q-group");
      if (!place || place === dragged) return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (place.matches(".q-group") && !isSection(dragged)) {
      var list = listOf(place);  // over a section's title or an empty section: its end
      if (dragged.parentNode !== list) list.appendChild(dragged);
      return;
    }
    var box = place.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    place.parentNode.insertBefore(dragged, after ? place.nextSibling : place);
  });

  root.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });

  root.addEventListener("dragend", function () {
    if (!dragged) return;
    var element = dragged;
    dragged = null;
    element.classList.remove("dragging");
    element.draggable = false;
    if (currentOrder().join() === saved.join()) return;
    announce(element);
    save();
  });

  document.getElementById("order-help").hidden = false;
})();
