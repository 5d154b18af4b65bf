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
local counts = dofile("tests/bench/counts.lua")

function setup(thread)
  counts.setup(thread)
end

function init(args)
  counts.init()
  n = 0
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
  counts.count(status, body)
end

function done(summary, latency, requests)
  counts.report()
end
