-- rotate.lua: a wrk script that POSTs JSON bodies read from a file (one body
-- a line), each connection thread cycling through them in turn, and prints
-- the run's summary as one JSON line prefixed by "WRK_JSON " when done.
--
-- usage: wrk -s rotate.lua URL -- BODIES_FILE

local requests = {}
local n = 0
local i = 0

function init(args)
  local path = args[1]
  if path == nil then
    error("rotate.lua: no bodies file (wrk ... -- BODIES_FILE)")
  end
  for line in io.lines(path) do
    if #line > 0 then
      n = n + 1
      requests[n] = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, line)
    end
  end
  if n == 0 then
    error("rotate.lua: no bodies in " .. path)
  end
end

function request()
  i = i % n + 1
  return requests[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.3f,"stdev":%.3f,"max":%d,' ..
    '"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9)))
end
