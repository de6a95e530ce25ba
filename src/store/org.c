/* SQL of the organisation registry. */
#include "store/org.h"
#include "store/internal.h"

#include <stddef.h>

int store_county_add(struct store *s, const char *slug, const char *iso, const char *case_prefix,
		     const char *name_sq, const char *name_en, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id, "INSERT INTO counties(slug, iso, case_prefix, name_sq, name_en) VALUES (?1, ?2, ?3, ?4, ?5)",
			    "ttttt", slug, iso, case_prefix, name_sq, name_en);
}

int store_municipality_add(struct store *s, int64_t county, const char *slug, const char *name, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id, "INSERT INTO municipalities(county_id, slug, name) VALUES (?1, ?2, ?3)", "itt",
			    county, slug, name);
}

int store_institution_type_add(struct store *s, const char *code, const char *level, int krat_order,
			       int per_municipality, const char *name_sq, const char *name_en, const char *source)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "INSERT INTO institution_types(code, level, krat_order, per_municipality, name_sq, name_en, source)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			  "ttIittt", code, level, (int64_t)krat_order, (int64_t)per_municipality, name_sq, name_en,
			  source);
}

int store_institution_add(struct store *s, const char *type, int64_t county, int64_t municipality,
			  const char *name, const char *name_en, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO institutions(type, county_id, municipality_id, name, name_en, created_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			    "tIIttN", type, county, municipality, name, name_en);
}

int store_body_add(struct store *s, const char *kind, int64_t county, int64_t municipality, int64_t parent,
		   const char *name_sq, const char *name_en, const char *established, int nomination_days,
		   int meeting_every_months, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO bodies(kind, county_id, municipality_id, parent_id, name_sq, name_en,"
			    " established, nomination_days, meeting_every_months, created_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
			    "tIIItttIIN", kind, county, municipality, parent, name_sq, name_en, established,
			    (int64_t)nomination_days, (int64_t)meeting_every_months);
}

int store_seat_add(struct store *s, int64_t body, const char *code, const char *role, int64_t institution,
		   const char *label_sq, const char *label_en, int64_t *id)
{
	STORE_WRITES(s);
	int pos = 0;
	int rc = store_seat_next_position(s, body, &pos);
	if (rc)
		return rc;
	return store_insert(s, id,
			    "INSERT INTO seats(body_id, code, role, institution_id, label_sq, label_en, position)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			    "ittIttI", body, code, role, institution, label_sq, label_en, (int64_t)pos);
}

int store_seat_next_position(struct store *s, int64_t body, int *pos)
{
	int64_t p = 0;
	int rc = store_int(s, &p, "SELECT coalesce(max(position), 0) + 1 FROM seats WHERE body_id = ?1", "i", body);
	if (!rc)
		*pos = (int)p;
	return rc;
}

int store_counties(struct store *s, json_t **out)
{
	return store_rows(s, out,
			  "SELECT c.id, c.slug, c.iso, c.name_sq, c.name_en,"
			  " (SELECT count(*) FROM municipalities m WHERE m.county_id = c.id) AS municipalities"
			  " FROM counties c ORDER BY c.name_sq",
			  "");
}

int store_county_id(struct store *s, const char *slug, int64_t *id)
{
	return store_int(s, id, "SELECT id FROM counties WHERE slug = ?1", "t", slug);
}

int store_county_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, "SELECT id, slug, iso, case_prefix, name_sq, name_en FROM counties WHERE id = ?1", "i", id);
}

int store_municipalities(struct store *s, int64_t county, json_t **out)
{
	return store_rows(s, out,
			  "SELECT m.id, m.slug, m.name, c.slug AS county FROM municipalities m"
			  " JOIN counties c ON c.id = m.county_id WHERE (?1 = 0 OR m.county_id = ?1) ORDER BY c.slug, m.name",
			  "i", county);
}

int store_municipality_get(struct store *s, const char *slug, json_t **out)
{
	return store_row(s, out,
			 "SELECT m.id, m.slug, m.name, m.county_id, c.slug AS county FROM municipalities m"
			 " JOIN counties c ON c.id = m.county_id WHERE m.slug = ?1",
			 "t", slug);
}

int store_institution_types(struct store *s, json_t **out)
{
	return store_rows(s, out,
			  "SELECT code, level, krat_order, per_municipality AS per_municipality_bool, name_sq, name_en, source"
			  " FROM institution_types ORDER BY coalesce(krat_order, 99), code",
			  "");
}

#define INSTITUTION_COLS \
	"SELECT i.id, i.type, i.name, i.name_en, c.slug AS county, m.slug AS municipality, i.county_id," \
	" i.municipality_id, i.active AS active_bool FROM institutions i" \
	" LEFT JOIN counties c ON c.id = i.county_id LEFT JOIN municipalities m ON m.id = i.municipality_id"

int store_institutions(struct store *s, int64_t county, const char *type, int64_t after, int limit, json_t **out)
{
	return store_rows(s, out,
			  INSTITUTION_COLS " WHERE (?1 = 0 OR i.county_id = ?1) AND (?2 IS NULL OR i.type = ?2)"
			  " AND i.id > ?3 ORDER BY i.id LIMIT ?4",
			  "itii", county, type, after, (int64_t)limit);
}

int store_institution_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, INSTITUTION_COLS " WHERE i.id = ?1", "i", id);
}

int store_institution_find(struct store *s, const char *type, int64_t county, int64_t municipality, int64_t *id)
{
	return store_int(s, id,
			 "SELECT id FROM institutions WHERE type = ?1 AND coalesce(county_id, 0) = ?2"
			 " AND coalesce(municipality_id, 0) = ?3 ORDER BY id LIMIT 1",
			 "tii", type, county, municipality);
}

int store_institution_type_exists(struct store *s, const char *code)
{
	int64_t one;
	return store_int(s, &one, "SELECT 1 FROM institution_types WHERE code = ?1", "t", code);
}

int store_body_find(struct store *s, const char *kind, int64_t county, int64_t *id)
{
	return store_int(s, id, "SELECT id FROM bodies WHERE kind = ?1 AND coalesce(county_id, 0) = ?2 ORDER BY id LIMIT 1",
			 "ti", kind, county);
}

int store_seat_next_code(struct store *s, int64_t body, char **code)
{
	return store_text(s, code,
			  "SELECT 'm' || (coalesce(max(CAST(substr(code, 2) AS INTEGER)), 0) + 1) FROM seats"
			  " WHERE body_id = ?1 AND code GLOB 'm[0-9]*'",
			  "i", body);
}

int store_person_counties(struct store *s, int64_t person, json_t **out)
{
	return store_rows(s, out,
			  "SELECT DISTINCT coalesce(b.county_id, 0) AS county FROM nominations n JOIN seats x ON x.id = n.seat_id"
			  " JOIN bodies b ON b.id = x.body_id WHERE n.person_id = ?1",
			  "i", person);
}

#define BODY_COLS \
	"SELECT b.id, b.kind, b.name_sq, b.name_en, c.slug AS county, b.county_id, m.slug AS municipality," \
	" b.parent_id AS parent, b.established, b.nomination_days, b.meeting_every_months," \
	" (SELECT count(*) FROM seats s WHERE s.body_id = b.id) AS seat_count FROM bodies b" \
	" LEFT JOIN counties c ON c.id = b.county_id LEFT JOIN municipalities m ON m.id = b.municipality_id"

int store_bodies(struct store *s, const char *kind, int64_t county, json_t **out)
{
	return store_rows(s, out,
			  BODY_COLS " WHERE (?1 IS NULL OR b.kind = ?1) AND (?2 = 0 OR b.county_id = ?2)"
			  " ORDER BY c.name_sq NULLS FIRST, CASE b.kind WHEN 'authority' THEN 0"
			  " WHEN 'authority_secretariat' THEN 1 WHEN 'krat' THEN 2 WHEN 'technical_table' THEN 3"
			  " WHEN 'krat_secretariat' THEN 4 ELSE 5 END, b.id",
			  "ti", kind, county);
}

int store_body_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, BODY_COLS " WHERE b.id = ?1", "i", id);
}

int store_seat_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out,
			 "SELECT s.id, s.body_id AS body, s.code, s.role, s.label_sq, s.label_en, s.institution_id,"
			 " b.kind AS body_kind, b.county_id FROM seats s JOIN bodies b ON b.id = s.body_id WHERE s.id = ?1",
			 "i", id);
}

#define MEMBER_JSON(cond, order) \
	"(SELECT json_object('nomination', n.id, 'person', p.id, 'name', p.name, 'position', p.position," \
	" 'email', p.email, 'phone', p.phone, 'start', n.start, 'end', n.end) FROM nominations n" \
	" JOIN persons p ON p.id = n.person_id WHERE n.seat_id = s.id AND " cond " ORDER BY " order " LIMIT 1)"

int store_seats(struct store *s, int64_t body, int64_t county, int national_only, const char *today, json_t **out)
{
	return store_rows(s, out,
			  "SELECT s.id, s.body_id AS body, b.kind AS body_kind, b.name_sq AS body_name_sq,"
			  " b.name_en AS body_name_en, c.slug AS county, b.county_id, s.code, s.role, s.label_sq,"
			  " s.label_en, s.institution_id AS institution, i.name AS institution_name, i.name_en AS institution_name_en,"
			  " i.type AS institution_type, b.established,"
			  " b.nomination_days, "
			  MEMBER_JSON("n.start <= ?1 AND (n.end IS NULL OR n.end >= ?1)", "n.start DESC") " AS member_json, "
			  MEMBER_JSON("n.start > ?1", "n.start") " AS upcoming_json,"
			  " (SELECT max(n.end) FROM nominations n WHERE n.seat_id = s.id AND n.end < ?1) AS last_end"
			  " FROM seats s JOIN bodies b ON b.id = s.body_id LEFT JOIN counties c ON c.id = b.county_id"
			  " LEFT JOIN institutions i ON i.id = s.institution_id"
			  " WHERE (?2 = 0 OR s.body_id = ?2) AND (?3 = 0 OR b.county_id = ?3)"
			  " AND (?4 = 0 OR b.county_id IS NULL) ORDER BY b.id, s.position",
			  "tiii", today, body, county, (int64_t)national_only);
}

int store_person_add(struct store *s, const char *name, const char *search, const char *position, const char *email,
		     const char *phone, int64_t institution, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO persons(name, search, position, email, phone, institution_id, created_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			    "tttttIN", name, search, position, email, phone, institution);
}

#define PERSON_COLS \
	"SELECT p.id, p.name, p.position, p.email, p.phone, p.institution_id AS institution, i.name AS institution_name," \
	" i.name_en AS institution_name_en FROM persons p LEFT JOIN institutions i ON i.id = p.institution_id"

int store_person_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, PERSON_COLS " WHERE p.id = ?1", "i", id);
}

int store_person_update(struct store *s, int64_t id, const char *name, const char *search, const char *position,
			const char *email, const char *phone)
{
	STORE_WRITES(s);
	return store_exec(s,
			  "UPDATE persons SET name = ?2, search = ?3, position = ?4, email = ?5, phone = ?6 WHERE id = ?1",
			  "ittttt", id, name, search, position, email, phone);
}

int store_persons(struct store *s, const char *q, int64_t after, int limit, json_t **out)
{
	return store_rows(s, out,
			  PERSON_COLS " WHERE (?1 IS NULL OR instr(coalesce(p.search, lower(p.name)), ?1) > 0) AND p.id > ?2"
			  " ORDER BY p.id LIMIT ?3",
			  "tii", q, after, (int64_t)limit);
}

int store_person_memberships(struct store *s, int64_t person, json_t **out)
{
	return store_rows(s, out,
			  "SELECT n.id AS nomination, n.start, n.end, s.id AS seat, s.label_sq, s.label_en, s.role,"
			  " b.id AS body, b.kind AS body_kind, b.name_sq AS body_name_sq, b.name_en AS body_name_en,"
			  " c.slug AS county FROM nominations n JOIN seats s ON s.id = n.seat_id"
			  " JOIN bodies b ON b.id = s.body_id LEFT JOIN counties c ON c.id = b.county_id"
			  " WHERE n.person_id = ?1 ORDER BY n.start DESC, n.id DESC",
			  "i", person);
}

int store_nomination_add(struct store *s, int64_t seat, int64_t person, const char *start, const char *end,
			 const char *note, int64_t by, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO nominations(seat_id, person_id, start, end, note, created_by, created_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			    "iitttIN", seat, person, start, end, note, by);
}

#define NOMINATION_COLS \
	"SELECT n.id, n.seat_id AS seat, n.person_id AS person, p.name, n.start, n.end, n.note, n.created_at," \
	" s.body_id AS body, b.county_id FROM nominations n JOIN persons p ON p.id = n.person_id" \
	" JOIN seats s ON s.id = n.seat_id JOIN bodies b ON b.id = s.body_id"

int store_nomination_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, NOMINATION_COLS " WHERE n.id = ?1", "i", id);
}

int store_nomination_set_end(struct store *s, int64_t id, const char *end)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE nominations SET end = ?2 WHERE id = ?1", "it", id, end);
}

int store_nomination_delete(struct store *s, int64_t id)
{
	STORE_WRITES(s);
	return store_exec(s, "DELETE FROM nominations WHERE id = ?1", "i", id);
}

int store_seat_nominations(struct store *s, int64_t seat, json_t **out)
{
	return store_rows(s, out, NOMINATION_COLS " WHERE n.seat_id = ?1 ORDER BY n.start DESC, n.id DESC", "i", seat);
}

#define GUEST_COLS "SELECT g.id, g.body_id AS body, g.name, g.organisation, g.reason, g.start, g.end, b.county_id FROM guests g JOIN bodies b ON b.id = g.body_id"

int store_guests(struct store *s, int64_t body, json_t **out)
{
	return store_rows(s, out, GUEST_COLS " WHERE g.body_id = ?1 ORDER BY g.start DESC, g.id DESC", "i", body);
}

int store_guest_add(struct store *s, int64_t body, const char *name, const char *organisation,
		    const char *reason, const char *start, const char *end, int64_t *id)
{
	STORE_WRITES(s);
	return store_insert(s, id,
			    "INSERT INTO guests(body_id, name, organisation, reason, start, end, created_at)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			    "ittttt" "N", body, name, organisation, reason, start, end);
}

int store_guest_get(struct store *s, int64_t id, json_t **out)
{
	return store_row(s, out, GUEST_COLS " WHERE g.id = ?1", "i", id);
}

int store_guest_set_end(struct store *s, int64_t id, const char *end)
{
	STORE_WRITES(s);
	return store_exec(s, "UPDATE guests SET end = ?2 WHERE id = ?1", "it", id, end);
}
