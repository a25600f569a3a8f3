-- wrk script of bench/load.py:
--   wrk -t1 -cC -dDs -s bench/load.lua URL -- LIMIT PATHS_FILE
-- Sends the paths of PATHS_FILE in turn, stops after LIMIT answers, counts every
-- answer that is not a 200 (wrk itself would count redirects as successes).

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

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
      wrk.thread:stop()
      io.write("BENCH-THREAD-DONE\n") -- bench/load.py then interrupts wrk's sleep
      io.flush()
   end
end

function done(summary, latency, requests)
   local bad_total = 0
   for _, thread in ipairs(threads) do
      bad_total = bad_total + thread:get("bad")
   end
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d p50_us=%.0f p99_us=%.0f bad=%d socket_errors=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      bad_total, e.connect + e.read + e.write + e.timeout))
end
