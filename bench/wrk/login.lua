-- A login storm (bench/scale.sh): every request is a fresh login of one of BENCH_STORM_USERS
-- (space-separated accounts with a full-cost Argon2id hash) with BENCH_STORM_PASSWORD.
dofile("bench/wrk/report.lua")

local users, k = {}, 0
for u in assert(os.getenv("BENCH_STORM_USERS"), "BENCH_STORM_USERS"):gmatch("%S+") do
	table.insert(users, u)
end
local password = assert(os.getenv("BENCH_STORM_PASSWORD"), "BENCH_STORM_PASSWORD")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
	k = k % #users + 1
	local body = string.format('{"username":"%s","password":"%s"}', users[k], password)
	return wrk.format(nil, "/api/v1/session", nil, body)
end
