// The registration form's zone picker with JavaScript on: the box for "another zone"
// becomes a search of every zone (by name, city, offset or old name: "Calcutta" finds
// Asia/Kolkata), filling the select with what matches. The list is fetched once, the
// first time the person reaches for the picker, from the server's cached zone list.
// Without JavaScript the box is a plain text field the server reads (members/forms.py).
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/_/g, " ").toLowerCase();
  }
  document.querySelectorAll(".zone-picker").forEach(function (picker) {
    var select = picker.querySelector("select");
    var box = picker.querySelector("input");
    var label = picker.querySelector("label");
    var suggested = Array.prototype.slice.call(select.children);
    var catalogue = null;
    box.removeAttribute("name");  // with JavaScript, the select alone says the zone
    box.type = "search";
    box.setAttribute("aria-controls", select.id);
    if (picker.dataset.searchLabel) label.textContent = picker.dataset.searchLabel;
    if (picker.dataset.searchHint) box.placeholder = picker.dataset.searchHint;

    function option(zone) { return new Option(zone.text, zone.value); }
    function fill(query) {
      var keep = select.value;
      select.textContent = "";
      if (!query) {
        suggested.forEach(function (node) { select.appendChild(node); });
        catalogue.groups.forEach(function (group) {
          var parent = select;
          if (group.label) {
            parent = document.createElement("optgroup");
            parent.label = group.label;
            select.appendChild(parent);
          }
          group.zones.forEach(function (zone) { parent.appendChild(option(zone)); });
        });
      } else {
        catalogue.all.filter(function (zone) { return zone.search.indexOf(query) !== -1; })
          .slice(0, 100).forEach(function (zone) { select.appendChild(option(zone)); });
      }
      var still = Array.prototype.some.call(select.options, function (o) { return o.value === keep; });
      if (still && !query) select.value = keep;
      else if (select.options.length) select.selectedIndex = 0;
    }
    function load() {
      if (picker.dataset.loading) return;
      picker.dataset.loading = "1";
      fetch(picker.dataset.zones, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var byZone = {};
          data.all = [];
          data.groups.forEach(function (group) {
            group.zones.forEach(function (pair) {
              var zone = { value: pair[0], text: pair[1], search: fold(pair[0] + " " + pair[1]) };
              byZone[pair[0]] = zone;
              data.all.push(zone);
            });
          });
          Object.keys(data.aliases).forEach(function (alias) {
            var zone = byZone[data.aliases[alias]];
            if (zone) zone.search += " " + fold(alias);
          });
          catalogue = data;
          fill(fold(box.value.trim()));
        });
    }
    box.addEventListener("focus", load);
    select.addEventListener("focus", load);
    box.addEventListener("input", function () { if (catalogue) fill(fold(box.value.trim())); else load(); });
  });
})();
