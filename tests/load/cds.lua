-- wrk script for tests/load/run.sh: one request shape per run, each request with its own pre-minted client JWT.
--
--   wrk -t T -c C -d D -s cds.lua URL -- METHOD BODY_FILE|- TOKEN_FILE|- THREADS
--
-- Tokens (one per line) are dealt to the threads round-robin (line i goes to thread i mod THREADS), and each thread
-- takes its own in order, so no token is ever sent twice: the service's replay cache stays on and a reused jti would be
-- a 401, which wrk counts as an error (status > 399). A thread that runs out of tokens stops (the run is then shorter
-- than asked; done() reports the real duration and run.sh says so) instead of sending replays.
-- done() prints one JSON line that run.sh turns into the table: latencies in microseconds.

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("id", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local method, body, tokens, count, next_token
local headers = {}

local function read_all(path)
   local f = assert(io.open(path, "rb"))
   local content = f:read("*a")
   f:close()
   return content
end

function init(args)
   method = args[1] or "GET"
   local body_file = args[2] or "-"
   local token_file = args[3] or "-"
   local threads_total = tonumber(args[4] or "1")
   if body_file ~= "-" then
      body = read_all(body_file)
      headers["Content-Type"] = "application/json"
   end
   tokens = {}
   count = 0
   next_token = 1
   if token_file ~= "-" then
      local line_no = 0
      for line in io.lines(token_file) do
         if line_no % threads_total == id then
            count = count + 1
            tokens[count] = line
         end
         line_no = line_no + 1
      end
   end
   exhausted = 0
   has_tokens = token_file ~= "-"
end

function request()
   if not has_tokens then
      return wrk.format(method, nil, headers, body)
   end
   if next_token > count then
      -- Out of tokens: stop this thread rather than replay one. The request returned here is never answered.
      exhausted = 1
      wrk.thread:stop()
      return wrk.format("GET", "/health/live")
   end
   headers["Authorization"] = "Bearer " .. tokens[next_token]
   next_token = next_token + 1
   return wrk.format(method, nil, headers, body)
end

function done(summary, latency, requests)
   local exhausted_threads = 0
   for _, thread in ipairs(threads) do
      exhausted_threads = exhausted_threads + (thread:get("exhausted") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      '{"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
      '"errors_status":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d,"exhausted_threads":%d}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout, exhausted_threads))
end
