-- SPDX-License-Identifier: MIT
-- wrk script: POST /api/v1/ask, the booking page's "Galdetu", with questions in the
-- three languages in turn (paraphrases of the generated answers, and one about the
-- phone's hours, which adds the channels to the facts). /ask counts 30 calls an hour
-- per address: every request comes from an address of its own through
-- X-Forwarded-For (the server runs with --trusted-proxy 127.0.0.1 here), so each
-- one is answered and counted as a visitor's would be. Statuses are counted; done()
-- prints "status <code> <count>" lines.
local threads, next_id = {}, 1

local questions = {
  '{"question":"zenbat balio dute matematika eskolek?"}',
  '{"question":"¿cuánto cuestan las clases de física en grupo?","locale":"es"}',
  '{"question":"can I cancel my chemistry lesson?","locale":"en"}',
  '{"question":"noiz dago irekita telefonoa?"}',
  '{"question":"¿hacéis prueba de nivel de inglés?"}',
  '{"question":"do you correct history homework?"}',
}

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  statuses, n = {}, 0
end

function request()
  n = n + 1
  local a = id * 1000000 + n
  local addr = string.format("10.%d.%d.%d", math.floor(a / 65536) % 256,
                             math.floor(a / 256) % 256, a % 256)
  return wrk.format("POST", "/api/v1/ask", {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = addr,
  }, questions[(n % #questions) + 1])
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
