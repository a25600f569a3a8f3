// Take a visitor's time zone from the browser on the first visit: one cookie,
// then reload once so the server renders times in that zone. A member's saved
// zone always wins on the server side.
(function () {
  var script = document.currentScript;
  var name = (script && script.dataset.cookie) || "baraza_tz";
  var source = script && script.dataset.source;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || document.cookie.split("; ").some(function (c) { return c.indexOf(name + "=") === 0; })) return;
  document.cookie = name + "=" + zone + "; path=/; max-age=31536000; samesite=lax";
  if (source === "default" && zone !== "UTC") window.location.reload();
})();
