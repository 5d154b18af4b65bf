-- SPDX-License-Identifier: MIT
-- wrk script: POST /api/v1/contracts from staff with a bearer token (BENCH_TOKEN): a
-- one-off class for client 1, 2, 3, ... (BENCH_CLIENTS of them, in turn, dealt out to
-- wrk's threads), sold by phone. Statuses are counted; done() prints
-- "status <code> <count>" lines.
local counts = dofile("tests/bench/counts.lua")

function setup(thread)
  counts.setup(thread)
end

function init(args)
  step = tonumber(os.getenv("BENCH_THREADS"))
  clients = tonumber(os.getenv("BENCH_CLIENTS"))
  services = tonumber(os.getenv("BENCH_SERVICES"))
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
  }
  index = id - 1
  counts.init()
end

function request()
  local i = index
  index = index + step
  local body = string.format('{"client_id":%d,"service_id":%d,"kind":"one_off","channel":"phone"}',
                             (i % clients) + 1, (i % services) + 1)
  return wrk.format("POST", "/api/v1/contracts", headers, body)
end

function response(status, headers, body)
  counts.count(status, body, 201)
end

function done(summary, latency, requests)
  counts.report()
end
