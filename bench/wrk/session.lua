-- Requests with the session of a user who logged in at the start of the run (bench/scale.sh):
-- the cookie and the CSRF token come from BENCH_COOKIE and BENCH_CSRF. BENCH_METHOD and
-- BENCH_BODY (a file holding a JSON body) make it a write; the URL names the page.
dofile("bench/wrk/report.lua")

wrk.headers["Cookie"] = "nrm_session=" .. assert(os.getenv("BENCH_COOKIE"), "BENCH_COOKIE")
wrk.headers["X-CSRF-Token"] = assert(os.getenv("BENCH_CSRF"), "BENCH_CSRF")
local method = os.getenv("BENCH_METHOD")
if method then
	wrk.method = method
end
local body = os.getenv("BENCH_BODY")
if body then
	local f = assert(io.open(body))
	wrk.body = f:read("*a")
	f:close()
	wrk.headers["Content-Type"] = "application/json"
end
