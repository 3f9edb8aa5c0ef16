-- wrk script of the bench's wrk load (see wrk.ts): GET WRK_PATH with the Authorization header
-- WRK_AUTHORIZATION, each request to the next Host of WRK_HOSTS (comma-separated, in turn). The
-- requests are formatted once, up front: per request wrk only picks the next string. At the end it
-- prints one JSON line: the summary, the latency percentiles (µs) and wrk's own CPU time (/proc, ticks).

local requests = {}
local next = 0

init = function(args)
  local path = os.getenv("WRK_PATH")
  local authorization = os.getenv("WRK_AUTHORIZATION")
  for host in string.gmatch(os.getenv("WRK_HOSTS") or "", "[^,]+") do
    local headers = { ["Host"] = host }
    if authorization and authorization ~= "" then headers["Authorization"] = authorization end
    requests[#requests + 1] = wrk.format("GET", path, headers)
  end
  if #requests == 0 then error("WRK_HOSTS is empty") end
end

request = function()
  next = next % #requests + 1
  return requests[next]
end

done = function(summary, latency, _)
  local file = io.open("/proc/self/stat", "r")
  local stat = file:read("*a")
  file:close()
  -- Fields after "(comm) ": state is the 1st, utime the 12th, stime the 13th.
  local fields = {}
  for field in string.gmatch(stat:sub(stat:find(") ", 1, true) + 2), "%S+") do fields[#fields + 1] = field end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"durationMicros":%d,"requests":%d,"errorsStatus":%d,"errorsSocket":%d,' ..
      '"p50":%d,"p90":%d,"p99":%d,"max":%d,"cpuTicks":%d}\n',
    summary.duration, summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    tonumber(fields[12]) + tonumber(fields[13])
  ))
end
