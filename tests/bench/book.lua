-- SPDX-License-Identifier: MIT
-- wrk script: POST /api/v1/lessons, each request a real booking of a different free
-- slot. The slots (gen.c's slots.txt) are dealt out to wrk's threads in turn: thread
-- k of n books slots k, k + n, k + 2n, ... from BENCH_OFFSET on, each as the student
-- the slot names (BENCH_CREDS: "cookie csrf" lines, student 1 first; gen.c gives
-- each tutor's slots to one student, so nobody is booked twice at once). Statuses are
-- counted; done() prints "status <code> <count>" lines, "issued <n>" and
-- "next_offset <i>" (the first slot no thread reached), and "wrapped <n>" when the
-- list ran out (those requests repeat a slot and are expected to answer 409).
local counts = dofile("tests/bench/counts.lua")

function setup(thread)
  counts.setup(thread)
end

function init(args)
  slots, creds = {}, {}
  for line in io.lines(os.getenv("BENCH_SLOTS")) do
    local tutor, service, at, student = line:match("^(%d+) (%d+) (%S+) (%d+)$")
    table.insert(slots, {tonumber(tutor), tonumber(service), at, tonumber(student)})
  end
  for line in io.lines(os.getenv("BENCH_CREDS")) do
    local cookie, csrf = line:match("^(%S+) (%S+)$")
    table.insert(creds, {cookie, csrf})
  end
  step = tonumber(os.getenv("BENCH_THREADS"))
  index = tonumber(os.getenv("BENCH_OFFSET") or "0") + id - 1
  issued, wrapped = 0, 0
  counts.init()
end

function request()
  local i = index
  index = index + step
  issued = issued + 1
  if i >= #slots then
    wrapped = wrapped + 1
    i = i % #slots
  end
  local s = slots[i + 1]
  -- The slot's own student (gen.c: one per tutor, so never two lessons at once).
  local who = creds[((s[4] - 1) % #creds) + 1]
  local body = string.format('{"service_id":%d,"tutor_id":%d,"starts_at":"%s"}',
                             s[2], s[1], s[3])
  return wrk.format("POST", "/api/v1/lessons", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "hm_session=" .. who[1],
    ["X-CSRF-Token"] = who[2],
  }, body)
end

function response(status, headers, body)
  counts.count(status, body, 201)
end

function done(summary, latency, requests)
  counts.report()
  local n_issued, n_wrapped, next_offset = 0, 0, 0
  for _, t in ipairs(counts.threads) do
    n_issued = n_issued + t:get("issued")
    n_wrapped = n_wrapped + t:get("wrapped")
    if t:get("index") > next_offset then next_offset = t:get("index") end
  end
  io.write(string.format("issued %d\nwrapped %d\nnext_offset %d\n",
                         n_issued, n_wrapped, next_offset))
end
