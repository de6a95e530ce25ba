-- The measured figures as plain SQL, one query each, for the benchmark's comparison with the
-- sqlite3 shell on the same file: what nrm counts for a year's national figures and the
-- standard tables (the cells, without nrm's margins, labels and disclosure control).
-- Run with the period's first and last day as parameters (both required):
--   sqlite3 -readonly FILE -cmd ".parameter set :first \"'2025-01-01'\"" \
--           -cmd ".parameter set :last \"'2025-12-31'\"" ".timer on" ".read bench/figures.sql"
-- Each query prints its name first (a one-row SELECT), then its rows; ".timer on" prints the
-- time of each statement. Persons are live cases (merged ones left out), counted once.
SELECT 'period', :first, :last;

-- national_annual: persons identified in the period by each block's values and their status
-- at the period's end (VT: a victim by the decisions taken by then; VMT: no decision yet).
SELECT 'national_annual';
WITH p AS MATERIALIZED (SELECT f.case_id, coalesce((SELECT x.code FROM case_facts x WHERE x.case_id = f.case_id
	AND x.kind = 'decided' AND x.day <= :last ORDER BY x.day DESC, x.id DESC LIMIT 1), 'undecided') AS status
	FROM case_facts f JOIN cases c ON c.id = f.case_id AND c.merged_into IS NULL
	WHERE f.kind = 'identified' AND f.day BETWEEN :first AND :last GROUP BY f.case_id)
SELECT d.dim, d.value, p.status, count(*) FROM p JOIN case_dims d ON d.case_id = p.case_id
WHERE p.status IN ('identified_victim', 'undecided') AND d.dim IN ('sex_age', 'exploitation_national', 'exploitation',
	'citizenship_group', 'citizenship', 'identified_by_group', 'identified_by')
GROUP BY d.dim, d.value, p.status;

-- eurostat: the same persons by sex, child, age group, citizenship and form of exploitation.
SELECT 'eurostat';
WITH p AS MATERIALIZED (SELECT f.case_id, coalesce((SELECT x.code FROM case_facts x WHERE x.case_id = f.case_id
	AND x.kind = 'decided' AND x.day <= :last ORDER BY x.day DESC, x.id DESC LIMIT 1), 'undecided') AS status
	FROM case_facts f JOIN cases c ON c.id = f.case_id AND c.merged_into IS NULL
	WHERE f.kind = 'identified' AND f.day BETWEEN :first AND :last GROUP BY f.case_id)
SELECT d.dim, d.value, count(*) FROM p JOIN case_dims d ON d.case_id = p.case_id
WHERE p.status IN ('identified_victim', 'undecided') AND d.dim IN ('sex', 'child', 'age_group', 'citizenship_eu',
	'exploitation_eurostat')
GROUP BY d.dim, d.value;

-- by_county: the same persons by county and status.
SELECT 'by_county';
WITH p AS MATERIALIZED (SELECT f.case_id, coalesce((SELECT x.code FROM case_facts x WHERE x.case_id = f.case_id
	AND x.kind = 'decided' AND x.day <= :last ORDER BY x.day DESC, x.id DESC LIMIT 1), 'undecided') AS status
	FROM case_facts f JOIN cases c ON c.id = f.case_id AND c.merged_into IS NULL
	WHERE f.kind = 'identified' AND f.day BETWEEN :first AND :last GROUP BY f.case_id)
SELECT d.value, p.status, count(*) FROM p JOIN case_dims d ON d.case_id = p.case_id AND d.dim = 'county'
WHERE p.status IN ('identified_victim', 'undecided')
GROUP BY d.value, p.status;

-- figures (GET /api/v1/stats/figures), flows: persons with a fact of each kind in the period,
-- by its code, with the persons of each kind.
SELECT 'figures_flows';
SELECT f.kind, f.code, count(DISTINCT f.case_id) FROM case_facts f JOIN cases c ON c.id = f.case_id
	AND c.merged_into IS NULL
WHERE f.day BETWEEN :first AND :last GROUP BY f.kind, f.code
UNION ALL
SELECT f.kind, '*', count(DISTINCT f.case_id) FROM case_facts f JOIN cases c ON c.id = f.case_id
	AND c.merged_into IS NULL
WHERE f.day BETWEEN :first AND :last GROUP BY f.kind;

-- figures, stock: the cases open at the period's end (identified by then, their stage by then
-- not the final one) by county and stage.
SELECT 'figures_open';
WITH p AS MATERIALIZED (SELECT f.case_id, (SELECT g.stage FROM case_stages g WHERE g.case_id = f.case_id
	AND g.day <= :last ORDER BY g.day DESC, g.id DESC LIMIT 1) AS stage
	FROM case_facts f JOIN cases c ON c.id = f.case_id AND c.merged_into IS NULL
	WHERE f.kind = 'identified' AND f.day <= :last GROUP BY f.case_id)
SELECT d.value, p.stage, count(*) FROM p JOIN case_dims d ON d.case_id = p.case_id AND d.dim = 'county'
WHERE coalesce(p.stage, '') <> 'closed'
GROUP BY d.value, p.stage;

-- figures, referrals within nrm made in the period (UTC stamps; nrm takes the days in Tirane).
SELECT 'figures_referrals';
SELECT count(*), count(r.responded_at), sum(r.status = 'accepted'), sum(r.status = 'declined'),
	sum(r.status = 'pending'), avg((julianday(r.responded_at) - julianday(r.created_at)) * 24.0)
FROM referrals r JOIN cases c ON c.id = r.case_id AND c.merged_into IS NULL
WHERE r.created_at BETWEEN :first || 'T00:00:00Z' AND :last || 'T23:59:59Z';
