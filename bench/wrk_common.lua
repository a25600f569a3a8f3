-- What bench/load.lua, post.lua and flow.lua share (each loads it with dofile): the
-- threads wrk made, each told its number; a thread's share of a count; the line a
-- thread prints once its share is answered; the BENCH line bench/load.py reads.

local common = { threads = {} }

function common.setup(thread)
   table.insert(common.threads, thread)
   thread:set("index", #common.threads) -- a global of that thread's own Lua state: 1..T
end

-- Thread `index` of `thread_count` takes `limit` consecutive numbers from `first`.
function common.share(count, thread_count, index)
   local share, extra = math.floor(count / thread_count), count % thread_count
   local limit = share + ((index <= extra) and 1 or 0)
   local first = (index - 1) * share + math.min(index - 1, extra) + 1
   return limit, first
end

function common.thread_done()
   wrk.thread:stop()
   io.write("BENCH-THREAD-DONE\n") -- bench/load.py then interrupts wrk's sleep
   io.flush()
end

-- The BENCH line; `counted`: requests as wrk counted them, or the sum of each thread's
-- `answered` when the script counts its own (a person's walk, a bounded POST load).
function common.report(summary, latency, counted)
   local bad_total, answered_total = 0, 0
   for _, thread in ipairs(common.threads) do
      bad_total = bad_total + thread:get("bad")
      answered_total = answered_total + (thread:get("answered") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d p50_us=%.0f p99_us=%.0f bad=%d socket_errors=%d\n",
      counted == "answered" and answered_total or summary.requests, summary.duration,
      latency:percentile(50), latency:percentile(99), bad_total,
      e.connect + e.read + e.write + e.timeout))
end

return common
