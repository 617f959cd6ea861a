-- wrk script of the ingress benchmark: HTTP asks spread over many actors.
--
--   wrk -t THREADS -s ingress-ask.lua URL -- ACTORS PATH_PREFIX PATH_SUFFIX BODY THREADS
--
-- Request i goes to PATH_PREFIX .. "a" .. i .. PATH_SUFFIX (e.g. /v1/actors/counter/a17/ask)
-- with BODY, for i cycling through 0 .. ACTORS-1. The requests are formatted once per thread,
-- so that wrk spends its time on the network, not in Lua. Thread t of THREADS starts at actor
-- t * ACTORS / THREADS, so the threads do not ask the same actors in step.

local started = 0

function setup(thread)
  thread:set("first", started)
  started = started + 1
end

function init(args)
  local actors = tonumber(args[1])
  local prefix, suffix, body = args[2], args[3], args[4]
  local headers = { ["Content-Type"] = "application/octet-stream" }
  requests = {}
  for i = 0, actors - 1 do
    requests[i + 1] = wrk.format("POST", prefix .. "a" .. i .. suffix, headers, body)
  end
  local threads = tonumber(args[5])
  position = math.floor((first or 0) * actors / threads)
end

function request()
  position = position % #requests + 1
  return requests[position]
end
