-- Concurrent updates of existing cases (a non-personal field, the identifying officer) with a
-- session (bench/scale.sh): BENCH_CASES names a file of "code version" lines (cases the user
-- may edit); each of the BENCH_THREADS threads (wrk -t) takes every n-th line
-- and goes round them, so no two connections write the same case at once, and keeps each
-- case's version from the answers ({"code", "stage", "version"}), as a client would.
dofile("bench/wrk/report.lua")

-- In the main state: numbers the threads (wrk calls each one's init right after its setup,
-- so the count of threads comes from BENCH_THREADS, not from here).
local started = 0

function setup(thread)
	thread:set("id", started)
	started = started + 1
end

local codes, versions, next_i, sent, stamp = {}, {}, 1, 0, os.time()

function init(args)
	local nthreads = assert(tonumber(os.getenv("BENCH_THREADS")), "BENCH_THREADS")
	local f = assert(io.open((assert(os.getenv("BENCH_CASES"), "BENCH_CASES"))))
	local i = 0
	for line in f:lines() do
		local code, version = line:match("^(%S+)%s+(%d+)")
		if code then
			if i % nthreads == id then
				table.insert(codes, code)
				versions[code] = tonumber(version)
			end
			i = i + 1
		end
	end
	f:close()
	assert(#codes > 0, "no cases for this thread")
	wrk.method = "PATCH"
	wrk.headers["Cookie"] = "nrm_session=" .. assert(os.getenv("BENCH_COOKIE"), "BENCH_COOKIE")
	wrk.headers["X-CSRF-Token"] = assert(os.getenv("BENCH_CSRF"), "BENCH_CSRF")
	wrk.headers["Content-Type"] = "application/json"
end

function request()
	local code = codes[next_i]
	next_i = next_i % #codes + 1
	-- A value never sent before (this run's start, the thread, a count): an update that changes
	-- nothing is refused (nothing_to_change).
	sent = sent + 1
	local body = string.format('{"version":%d,"fields":{"al_identifying_officer":"Bench %d-%d-%d"}}',
		versions[code], stamp, id, sent)
	return wrk.format(nil, "/api/v1/cases/" .. code, nil, body)
end

function response(status, headers, body)
	if status == 200 then
		local code = body:match('"code"%s*:%s*"([^"]+)"')
		local version = body:match('"version"%s*:%s*(%d+)')
		if code and version then
			versions[code] = tonumber(version)
		end
	end
end
