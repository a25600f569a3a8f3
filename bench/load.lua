-- wrk script of bench/load.py:
--   wrk -t1 -cC -dDs -s bench/load.lua URL -- LIMIT PATHS_FILE
-- Sends the paths of PATHS_FILE in turn, stops after LIMIT answers, counts every
-- answer that is not a 200 (wrk itself would count redirects as successes).

local common = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk_common.lua")
setup = common.setup

function init(args)
   limit = tonumber(args[1])
   prepared = {}
   for path in io.lines(args[2]) do
      table.insert(prepared, wrk.format(nil, path))
   end
   sent, answered, bad = 0, 0, 0
end

function request()
   sent = sent + 1
   return prepared[(sent - 1) % #prepared + 1]
end

function response(status, headers, body)
   answered = answered + 1
   if status ~= 200 then
      bad = bad + 1
   end
   if answered == limit then
      common.thread_done()
   end
end

function done(summary, latency, requests)
   common.report(summary, latency, "wrk")
end
