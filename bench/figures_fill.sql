-- Fills a database made by `nrm init --demo` (with its demo cases) with copies of those cases
-- for measuring the figures only: the rows the figures read (cases, case_facts, case_stages,
-- case_dims), each copy moved back in time by up to ~10 years, spread over the counties, the
-- older ones closed, 2% merged into another. Personal data, events and blind indexes are
-- not written (use bench/gen for a database every page reads). The count comes from the
-- temp table fill(n): sqlite3 F "CREATE TEMP TABLE fill(n); INSERT INTO fill VALUES (100000);" ".read bench/figures_fill.sql"
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
CREATE TEMP TABLE tpl AS SELECT row_number() OVER (ORDER BY id) - 1 AS t, id FROM cases WHERE merged_into IS NULL;
CREATE TEMP TABLE cty AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, slug FROM counties;
CREATE TEMP TABLE base AS SELECT (SELECT max(id) FROM cases) AS id0, (SELECT count(*) FROM tpl) AS nt,
	(SELECT count(*) FROM cty) AS nc, julianday('2026-11-30') AS today;
-- Each copy: its template, day offset (back), county, whether it is closed, merged.
CREATE TEMP TABLE cp AS
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < (SELECT n FROM fill)),
h(i, x) AS (SELECT i, (i * 2654435761 + 12345) % 4294967291 FROM seq)
SELECT h.i, (SELECT id0 FROM base) + h.i AS id, tpl.id AS tid,
	-(x % 3800) AS off, (x / 3800) % 100 AS w, (x / 380000) % 1000 AS v
FROM h JOIN tpl ON tpl.t = h.i % (SELECT nt FROM base);
-- Counties weighted roughly by population (Tirane, Durres, Fier, Elbasan larger).
CREATE TEMP TABLE cw(k, lo, hi);
INSERT INTO cw SELECT id, 0, 0 FROM counties;
UPDATE cw SET hi = CASE (SELECT slug FROM counties WHERE id = cw.k) WHEN 'tirane' THEN 32 WHEN 'durres' THEN 10
	WHEN 'fier' THEN 10 WHEN 'elbasan' THEN 9 WHEN 'korce' THEN 7 WHEN 'shkoder' THEN 7 WHEN 'vlore' THEN 7
	WHEN 'berat' THEN 4 WHEN 'lezhe' THEN 4 WHEN 'diber' THEN 4 WHEN 'gjirokaster' THEN 3 ELSE 3 END;
UPDATE cw SET lo = (SELECT coalesce(sum(hi), 0) FROM cw c2 WHERE c2.rowid < cw.rowid);
UPDATE cw SET hi = lo + hi;
ALTER TABLE cp ADD COLUMN county INTEGER;
UPDATE cp SET county = (SELECT k FROM cw WHERE (cp.w * (SELECT max(hi) FROM cw) / 100) >= lo
	AND (cp.w * (SELECT max(hi) FROM cw) / 100) < hi);
UPDATE cp SET county = (SELECT id FROM counties WHERE slug = 'tirane') WHERE county IS NULL;
BEGIN;
INSERT INTO cases(id, code, county_id, year, seq, stage, closed_from, status, is_child, sex, age_band, identified_on,
	holder_id, creator_id, data_json, version, merged_into, created_at, updated_at, age, list_json)
SELECT cp.id, 'BENCH-' || cp.i, cp.county, 100000 + cp.i, cp.i, c.stage, c.closed_from, c.status, c.is_child, c.sex,
	c.age_band, date(c.identified_on, cp.off || ' days'), c.holder_id, c.creator_id, c.data_json, 1,
	CASE WHEN cp.i % 50 = 0 AND cp.i > 1 THEN cp.id - 1 END, c.created_at, c.updated_at, c.age, c.list_json
FROM cp JOIN cases c ON c.id = cp.tid;
INSERT INTO case_facts(case_id, kind, code, day, current, event_id)
SELECT cp.id, f.kind, f.code, date(f.day, cp.off || ' days'), f.current, NULL
FROM cp JOIN case_facts f ON f.case_id = cp.tid ORDER BY cp.id, f.id;
INSERT INTO case_stages(case_id, stage, day, event_id)
SELECT cp.id, g.stage, date(g.day, cp.off || ' days'), NULL FROM cp JOIN case_stages g ON g.case_id = cp.tid
ORDER BY cp.id, g.id;
-- Copies identified before 2024 that the template left open were closed within 1-2 years.
CREATE TEMP TABLE late AS SELECT cp.id, date(f.day, (200 + cp.v) || ' days') AS day FROM cp
	CROSS JOIN case_facts f ON f.case_id = cp.id AND +f.kind = 'identified' AND +f.day < '2024-01-01'
	WHERE NOT EXISTS (SELECT 1 FROM case_stages g WHERE g.case_id = cp.tid AND g.stage = 'closed');
INSERT INTO case_stages(case_id, stage, day, event_id) SELECT id, 'closed', day, NULL FROM late;
INSERT INTO case_facts(case_id, kind, code, day, current, event_id)
	SELECT id, 'closed', 'reintegrated', day, 1, NULL FROM late;
UPDATE cases SET stage = 'closed' WHERE id IN (SELECT id FROM late);
INSERT INTO case_dims(case_id, dim, value)
SELECT cp.id, d.dim, CASE WHEN d.dim = 'county' THEN (SELECT slug FROM counties WHERE id = cp.county) ELSE d.value END
FROM cp JOIN case_dims d ON d.case_id = cp.tid ORDER BY cp.id;
-- Cases written behind nrm's back: the figures nrm keeps (schema 18) are forgotten, to be
-- counted afresh when next asked (docs/operations.md).
DELETE FROM fig_cells;
DELETE FROM fig_units;
UPDATE fig_epoch SET n = n + 1;
COMMIT;
