-- wrk script of bench/load.py's measure_posts:
--   wrk -tT -cC -dDs -H... -s bench/post.lua URL -- COUNT PATH BODY STATUS T
-- POSTs BODY to PATH exactly COUNT times in all, each with the next number (1..COUNT,
-- as %04d) in place of every "{n}" of BODY, so each request is a distinct form.
-- Threads take consecutive ranges of numbers. A thread that has sent its share
-- answers wrk's next request() with an empty string: nothing is written and that
-- connection stays idle; the thread stops once its share is answered. So no request
-- beyond COUNT reaches the server (wrk's -d is only a safety bound). T is wrk's -t.
-- Counts every answer whose status is not STATUS (wrk would count any below 400).

local common = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk_common.lua")
setup = common.setup

function init(args)
   local count, thread_count = tonumber(args[1]), tonumber(args[5])
   limit, first = common.share(count, thread_count, index)
   path, body, expected = args[2], args[3], tonumber(args[4])
   sent, answered, bad = 0, 0, 0
   -- wrk calls the first thread's request() once before any connection, only to check
   -- what it returns: that call must not use up a number.
   checking = index == 1
end

function request()
   if checking then
      checking = false
      return wrk.format("POST", path, nil, (body:gsub("{n}", "0000")))
   end
   if sent >= limit then
      return ""
   end
   local number = string.format("%04d", first + sent)
   sent = sent + 1
   return wrk.format("POST", path, nil, (body:gsub("{n}", number)))
end

function response(status, headers, body)
   answered = answered + 1
   if status ~= expected then
      bad = bad + 1
   end
   if answered == limit then
      common.thread_done()
   end
end

function done(summary, latency, requests)
   common.report(summary, latency, "answered")
end
