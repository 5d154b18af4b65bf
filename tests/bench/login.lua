-- SPDX-License-Identifier: MIT
-- wrk script: a flood of correct logins (POST /api/v1/auth/login with BENCH_EMAIL and
-- BENCH_PASSWORD), to see that concurrent argon2id hashes, 64 MiB each, are bounded.
-- Statuses are counted; done() prints "status <code> <count>" lines.
local counts = dofile("tests/bench/counts.lua")

function setup(thread)
  counts.setup(thread)
end

function init(args)
  counts.init()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = string.format('{"email":"%s","password":"%s"}',
                           os.getenv("BENCH_EMAIL"), os.getenv("BENCH_PASSWORD"))
end

function response(status, headers, body)
  counts.count(status, body)
end

function done(summary, latency, requests)
  counts.report()
end
