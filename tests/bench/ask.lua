-- SPDX-License-Identifier: MIT
-- wrk script: POST /api/v1/ask, the booking page's "Galdetu", with questions drawn
-- from tests/bench/questions.lua (three languages, skewed towards the common ones,
-- a share with something of the visitor's own; half of them name their language,
-- the others leave it to detection). /ask counts 30 calls an hour per address:
-- every request comes from an address of its own through X-Forwarded-For (the
-- server runs with --trusted-proxy 127.0.0.1 here), so each one is answered and
-- counted as a visitor's would be, and the count table keeps making room.
-- Statuses are counted; done() prints "status <code> <count>" lines.
local questions = dofile("tests/bench/questions.lua")
local threads, next_id = {}, 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  statuses, n = {}, 0
  math.randomseed(id * 7919 + os.time())
end

function request()
  n = n + 1
  local a = id * 1000000 + n
  local addr = string.format("10.%d.%d.%d", math.floor(a / 65536) % 256,
                             math.floor(a / 256) % 256, a % 256)
  local q, locale = questions.draw()
  local body = '{"question":' .. questions.json(q) ..
    (math.random() < 0.5 and (',"locale":"' .. locale .. '"') or "") .. '}'
  return wrk.format("POST", "/api/v1/ask", {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = addr,
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, c in pairs(t:get("statuses")) do
      total[code] = (total[code] or 0) + c
    end
  end
  for code, c in pairs(total) do io.write(string.format("status %d %d\n", code, c)) end
end
