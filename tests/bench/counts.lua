-- SPDX-License-Identifier: MIT
-- What every wrk script of tests/bench shares: threads numbered from 1 (the global
-- `id` in each thread's state), answers counted by status with the first
-- unexpected one kept, and done() printing "status <code> <count>" lines and a
-- "first_error" line per thread that had one. A script loads it with
-- dofile("tests/bench/counts.lua") (wrk runs from the repository) and calls these
-- from its own setup/init/response/done.
local M = {threads = {}, next_id = 1}

-- setup(thread), in wrk's main state.
function M.setup(thread)
  thread:set("id", M.next_id)
  M.next_id = M.next_id + 1
  table.insert(M.threads, thread)
end

-- In init(), in each thread's state: no answers counted yet.
function M.init()
  statuses, first_error = {}, nil
end

-- response(), in each thread's state: counts status; any other than expected
-- (when given) is kept as the thread's first error, with the start of its body.
function M.count(status, body, expected)
  statuses[status] = (statuses[status] or 0) + 1
  if expected and status ~= expected and not first_error then
    first_error = status .. " " .. string.sub(body or "", 1, 200)
  end
end

-- done(), in wrk's main state: the lines tests/bench/run reads.
function M.report()
  local total = {}
  for _, t in ipairs(M.threads) do
    for code, n in pairs(t:get("statuses")) do
      total[code] = (total[code] or 0) + n
    end
    local e = t:get("first_error")
    if e then io.write("first_error ", (e:gsub("\n", " ")), "\n") end
  end
  for code, n in pairs(total) do io.write(string.format("status %d %d\n", code, n)) end
end

return M
