-- wrk script of bench/registration.py's whole-flow measure, one connection per thread:
--   wrk -tC -cC -dDs -s bench/flow.lua URL -- MODE COUNT C PAGE POST_PATH BODY COOKIE_NAME [COOKIE TOKEN]
-- Each thread walks its share of COUNT people one after another, each as a new browser
-- (no cookie carried over):
--   MODE "flow":    GET PAGE; take the CSRF cookie it sets and the form's token from the
--                   HTML; POST BODY to POST_PATH with them ("{token}" and every "{n}",
--                   the person's number as %04d, filled in); GET the page the redirect
--                   names, which must be the thank-you page ("registered").
--   MODE "ceiling": GET PAGE (a constant page); POST BODY to POST_PATH with the fixed
--                   COOKIE and TOKEN; GET PAGE again.
-- A thread's Lua state is its own, so a person's three steps are a state machine per
-- thread: that is why there is one connection per thread. wrk's latency figures are per
-- request; "requests" in the BENCH line counts people, "bad" those who failed a step.

local common = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk_common.lua")
setup = common.setup

function init(args)
   mode, count, thread_count = args[1], tonumber(args[2]), tonumber(args[3])
   page, post_path, body, cookie_name = args[4], args[5], args[6], args[7]
   fixed_cookie, fixed_token = args[8], args[9]
   limit, first = common.share(count, thread_count, index)
   started, answered, bad = 0, 0, 0
   step = "page"
   origin = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port
   -- wrk calls the first thread's request() once before any connection, only to check
   -- what it returns: that call must not start a person.
   checking = index == 1
end

function request()
   if checking then
      checking = false
      return wrk.format("GET", page)
   end
   if step == "page" then
      if started >= limit then
         return ""
      end
      started = started + 1
      number = string.format("%04d", first + started - 1)
      return wrk.format("GET", page)
   elseif step == "post" then
      local form = body:gsub("{n}", number)
      form = form:gsub("{token}", token)
      return wrk.format("POST", post_path, {
         ["Cookie"] = cookie_name .. "=" .. cookie,
         ["Content-Type"] = "application/x-www-form-urlencoded",
         ["Referer"] = origin .. page,
      }, form)
   end
   return wrk.format("GET", next_path)
end

local function finish(ok)
   answered = answered + 1
   if not ok then
      bad = bad + 1
   end
   step = "page"
   if answered == limit then
      common.thread_done()
   end
end

function response(status, headers, text)
   if step == "page" then
      if status ~= 200 then
         return finish(false)
      end
      if mode == "flow" then
         token = text:match('name="csrfmiddlewaretoken" value="([^"]+)"')
         cookie = (headers["Set-Cookie"] or ""):match(cookie_name .. "=([^;]+)")
      else
         token, cookie = fixed_token, fixed_cookie
      end
      if not token or not cookie then
         return finish(false)
      end
      step = "post"
   elseif step == "post" then
      next_path = (mode == "flow") and headers["Location"] or page
      if status ~= 302 or not next_path then
         return finish(false)
      end
      step = "thanks"
   else
      finish(status == 200 and (mode ~= "flow" or next_path:find("/registered/", 1, true) ~= nil))
   end
end

function done(summary, latency, requests)
   common.report(summary, latency, "answered")
end
