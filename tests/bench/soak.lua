-- wrk script for tests/bench/soak: each request is chosen at random by weight. The soak script
-- writes the lists (views, others, queries, soak) in front of this file.
--   60 view a page (/wiki/...)          7 another page (home, changes, a profile, a history)
--    8 search page (/search?q=)        12 search API (/api/search?q=)
--   11 read a soak page's JSON          2 edit a soak page (PUT with base_revision)
-- An edit changes one line of the text this thread last saw of the page, on top of the revision
-- it saw, so edits by others in between are merged, or refused with 409 when they changed the
-- same line. Every answer is counted by status; done() prints the counts for the soak script.

local threads = {}
counts, edits, edits_ok, n = {}, 0, 0, 0
local known = {} -- soak path -> {rev = N, lines = {...}} as this thread last saw it

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  math.randomseed(id * 7919 + os.time())
end

local function api_headers(body)
  local h = {Authorization = wrk.headers["Authorization"]}
  if body then h["Content-Type"] = "application/json" end
  return h
end

local function edit(path)
  local k = known[path]
  if not k then return wrk.format("GET", "/api/pages/" .. path, api_headers()) end
  n = n + 1
  local lines = {}
  for i, l in ipairs(k.lines) do lines[i] = l end
  local i = math.random(#lines)
  lines[i] = "Line " .. i .. ": changed by thread " .. id .. " edit " .. n
  local body = '{"title":"Soak ' .. path .. '","base_revision":' .. k.rev ..
      ',"summary":"soak edit","markdown":"' .. table.concat(lines, "\\n") .. '"}'
  edits = edits + 1
  return wrk.format("PUT", "/api/pages/" .. path, api_headers(true), body)
end

function request()
  local r = math.random(100)
  if r <= 60 then return wrk.format("GET", views[math.random(#views)], api_headers()) end
  if r <= 67 then return wrk.format("GET", others[math.random(#others)], api_headers()) end
  if r <= 75 then return wrk.format("GET", "/search?q=" .. queries[math.random(#queries)], api_headers()) end
  if r <= 87 then return wrk.format("GET", "/api/search?q=" .. queries[math.random(#queries)], api_headers()) end
  local path = soak[math.random(#soak)]
  if r <= 98 then return wrk.format("GET", "/api/pages/" .. path, api_headers()) end
  return edit(path)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if (status == 200 or status == 201) and body:find('"markdown"', 1, true) then
    local path = body:match('"path":%s*"(soak/[^"]+)"')
    local rev = body:match('"revision":%s*(%d+)')
    local md = body:match('"markdown":%s*"(.-)"')
    if path and rev and md then
      local lines = {}
      for l in (md .. "\\n"):gmatch("(.-)\\n") do table.insert(lines, l) end
      if #lines > 0 and (not known[path] or known[path].rev < tonumber(rev)) then
        known[path] = {rev = tonumber(rev), lines = lines}
      end
      if body:find('"merged"', 1, true) then edits_ok = edits_ok + 1 end
    end
  end
end

function done(summary, latency, requests)
  local total, e, ok = {}, 0, 0
  for _, t in ipairs(threads) do
    for s, c in pairs(t:get("counts")) do total[s] = (total[s] or 0) + c end
    e = e + t:get("edits")
    ok = ok + t:get("edits_ok")
  end
  local err = summary.errors
  io.write(string.format("SOAK requests %d seconds %.1f p50 %.2f p99 %.2f max %.2f " ..
      "connect %d read %d write %d timeout %d edits %d edits_ok %d\n", summary.requests,
      summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, err.connect, err.read, err.write, err.timeout, e, ok))
  for s, c in pairs(total) do io.write(string.format("STATUS %d %d\n", s, c)) end
end
