-- SPDX-License-Identifier: MIT
-- wrk script: GET /api/v1/answers?q=&locale=, the booking page's "Galdetu" box
-- answering as a visitor types (debounced): a question drawn from
-- tests/bench/questions.lua cut where the typing paused (after a word, or inside
-- one), so common questions' beginnings repeat as they would. Statuses are counted;
-- done() prints "status <code> <count>" lines.
local questions = dofile("tests/bench/questions.lua")
local counts = dofile("tests/bench/counts.lua")

function setup(thread)
  counts.setup(thread)
end

function init(args)
  counts.init()
  math.randomseed(id * 104729 + os.time())
end

function request()
  local q, locale = questions.draw()
  local cut = #q
  if math.random() < 0.6 then -- a pause before the end: at a space, or inside a word
    local spaces = {}
    for i in q:gmatch("() ") do spaces[#spaces + 1] = i end
    if #spaces > 0 then
      cut = spaces[math.random(#spaces)] - 1
      if math.random() < 0.3 then cut = cut + 3 end
    end
  end
  -- never inside a UTF-8 character
  while cut < #q and q:byte(cut + 1) >= 0x80 and q:byte(cut + 1) < 0xC0 do cut = cut + 1 end
  return wrk.format("GET", "/api/v1/answers?q=" .. questions.escape(q:sub(1, cut)) ..
    "&locale=" .. locale)
end

function response(status, headers, body)
  counts.count(status, body)
end

function done(summary, latency, requests)
  counts.report()
end
