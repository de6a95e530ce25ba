-- The line every wrk run of bench/scale.sh ends with (tab-separated, read by the script):
-- "wrk", requests a second, p50 ms, p99 ms, requests, errors (answers other than 2xx/3xx,
-- and connections refused, broken or timed out).
function done(summary, latency, requests)
	local e = summary.errors
	local errors = e.connect + e.read + e.write + e.status + e.timeout
	io.write(string.format("wrk\t%.1f\t%.2f\t%.2f\t%d\t%d\n", summary.requests / (summary.duration / 1e6),
		latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests, errors))
end
