// Take a visitor's time zone from the browser on the first visit, without a reload.
// The server rendered the page in UTC with each time a <time datetime data-local>
// (members/templatetags/zones.py); this script sets the cookie (every later page is
// rendered in the zone by the server) and rewrites those times, the "Times shown in"
// line and the registration form's zone in place. Browsers report some zones by old
// names (Chrome: Asia/Calcutta, Asia/Katmandu): the server's zone list maps them to the
// names the site shows (Asia/Kolkata, Asia/Kathmandu). A member's saved zone always
// wins on the server side.
(function () {
  var script = document.currentScript;
  if (!script) return;
  var data = script.dataset;
  var name = data.cookie || "baraza_tz";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var known = document.cookie.split("; ").some(function (c) { return c.indexOf(name + "=") === 0; });
  if (!known || data.source === "default") {
    document.cookie = name + "=" + zone + "; path=/; max-age=31536000; samesite=lax";
  }
  if (data.source !== "default" || zone === "UTC" || !data.zones) return;

  function parts(date, tz) {
    var out = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric", second: "numeric"
    }).formatToParts(date).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function offset(date, tz) {  // "UTC+8", "UTC+5:45", "UTC-3:30": as core.zones.format_offset
    var p = parts(date, tz);
    var local = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
    var minutes = Math.round((local - Math.floor(date.getTime() / 1000) * 1000) / 60000);
    var sign = minutes < 0 ? "-" : "+";
    minutes = Math.abs(minutes);
    return "UTC" + sign + Math.floor(minutes / 60) + (minutes % 60 ? ":" + pad(minutes % 60) : "");
  }
  function format(date, tz, fmt, lang) {  // the few Django date format characters used
    var p = parts(date, tz);
    function word(options) {
      options.timeZone = tz;
      return new Intl.DateTimeFormat(lang, options).format(date).replace(/\.$/, "");
    }
    var out = "";
    for (var i = 0; i < fmt.length; i++) {
      var c = fmt.charAt(i);
      if (c === "\\") { out += fmt.charAt(++i); continue; }
      if (c === "D") out += word({ weekday: "short" });
      else if (c === "l") out += word({ weekday: "long" });
      else if (c === "j") out += String(+p.day);
      else if (c === "d") out += pad(+p.day);
      else if (c === "M") { var m = word({ month: "short" }); out += m.charAt(0).toUpperCase() + m.slice(1); }
      else if (c === "F") out += word({ month: "long" });
      else if (c === "Y") out += p.year;
      else if (c === "H") out += pad(+p.hour % 24);
      else if (c === "i") out += pad(+p.minute);
      else out += c;
    }
    return out;
  }
  function show(tz, catalogue) {
    var lang = document.documentElement.lang || "en";
    var fmt = data.format || "D j M Y, H:i";
    document.querySelectorAll("time[data-local]").forEach(function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (isNaN(date)) return;
      el.textContent = format(date, tz, fmt, lang) + " (" + tz + ", " + offset(date, tz) + ")";
    });
    var line = document.getElementById("current-zone");
    if (line) line.textContent = tz + ", " + offset(new Date(), tz);
    document.querySelectorAll(".zone-picker select").forEach(function (select) {
      if (select.value !== "UTC") return;  // the visitor chose already
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === tz; });
      if (!option) {
        option = new Option(tz.split("/").slice(1).join(" / ").replace(/_/g, " ") + " (" + offset(new Date(), tz) + ")", tz);
        select.insertBefore(option, select.firstChild);
      }
      select.value = tz;
    });
  }
  fetch(data.zones, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (catalogue) { show((catalogue.aliases || {})[zone] || zone, catalogue); })
    .catch(function () { show(zone); });
})();
