-- Placeholder until part C provides the plain-SQL equivalents of the measured figures: what
-- `GET /stats/figures?period=2025` counts for the Authority, as plain aggregates over the
-- same tables — persons (merged duplicates once) with each kind of fact in 2025 by code,
-- cases open at the year's end by stage, and referrals of the year by answer.
SELECT f.kind, f.code, count(DISTINCT coalesce(c.merged_into, c.id))
FROM case_facts f JOIN cases c ON c.id = f.case_id
WHERE f.current = 1 AND f.day BETWEEN '2025-01-01' AND '2025-12-31'
GROUP BY f.kind, f.code;
SELECT c.stage, count(*) FROM cases c
WHERE c.merged_into IS NULL AND c.identified_on <= '2025-12-31' AND c.stage <> 'closed'
GROUP BY c.stage;
SELECT r.status, count(*) FROM referrals r
WHERE r.created_at BETWEEN '2025-01-01' AND '2025-12-31T23:59:59Z'
GROUP BY r.status;
