-- SPDX-License-Identifier: MIT
-- wrk script: POST /api/v1/contracts from staff with a bearer token (BENCH_TOKEN): a
-- one-off class for client 1, 2, 3, ... (BENCH_CLIENTS of them, in turn, dealt out to
-- wrk's threads), sold by phone. Statuses are counted; done() prints
-- "status <code> <count>" lines.
local threads, next_id = {}, 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  step = tonumber(os.getenv("BENCH_THREADS"))
  clients = tonumber(os.getenv("BENCH_CLIENTS"))
  services = tonumber(os.getenv("BENCH_SERVICES"))
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
  }
  index, statuses = id - 1, {}
end

function request()
  local i = index
  index = index + step
  local body = string.format('{"client_id":%d,"service_id":%d,"kind":"one_off","channel":"phone"}',
                             (i % clients) + 1, (i % services) + 1)
  return wrk.format("POST", "/api/v1/contracts", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 201 and not first_error then
    first_error = status .. " " .. string.sub(body or "", 1, 200)
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do
      total[code] = (total[code] or 0) + n
    end
    local e = t:get("first_error")
    if e then io.write("first_error ", e:gsub("\n", " "), "\n") end
  end
  for code, n in pairs(total) do io.write(string.format("status %d %d\n", code, n)) end
end
