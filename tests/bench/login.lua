-- SPDX-License-Identifier: MIT
-- wrk script: a flood of correct logins (POST /api/v1/auth/login with BENCH_EMAIL and
-- BENCH_PASSWORD), to see that concurrent argon2id hashes, 64 MiB each, are bounded.
-- Statuses are counted; done() prints "status <code> <count>" lines.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = string.format('{"email":"%s","password":"%s"}',
                           os.getenv("BENCH_EMAIL"), os.getenv("BENCH_PASSWORD"))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do
      total[code] = (total[code] or 0) + n
    end
  end
  for code, n in pairs(total) do io.write(string.format("status %d %d\n", code, n)) end
end
