/* Reports: drafting one, reading it with its content made now from the live data, keeping
 * what its secretariat writes, and the files it leaves as. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/internal.h"
#include "secure/audit.h"
#include "core/date.h"
#include "org/org.h"
#include "store/org.h"
#include "store/report.h"

int report_types(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	json_t *docs, *r, *list = json_array();
	int rc = store_report_types(c->db, &docs);
	if (rc) {
		json_decref(list);
		return rc;
	}
	if (!json_array_size(docs)) {
		json_decref(docs);
		json_decref(list);
		return nrm_fail(err, NRM_EINVAL, KEY_reports_missing, NULL, NULL);
	}
	size_t i;
	json_array_foreach(docs, i, r) {
		json_t *doc = json_deep_copy(json_object_get(r, "doc"));
		struct nrm_err bad = {0};
		if (report_type_check(doc, &bad) != 0) {
			json_decref(doc); /* refused by nrm forms load; a database older than the check may hold one */
			continue;
		}
		struct report_type t = {.doc = doc, .issuer = j_str(doc, "issuer")};
		struct report_scope s = {.county = c->me->county_id};
		/* The types of which the caller may read a report (once delivered, for a recipient). */
		if (!report_may_read(c, &t, c->me->county_id, "delivered")) {
			json_decref(doc);
			continue;
		}
		json_object_set_new(doc, "can_create", json_boolean(report_may_draft(c, &t, &s)));
		json_array_append_new(list, doc);
	}
	json_decref(docs);
	*out = list;
	return 0;
}

int report_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const members[] = {"type", "scope", "period", NULL};
	const char *type, *scope = NULL, *period;
	struct report_type t = {0};
	struct report_scope s;
	json_t *row = NULL;
	int64_t id;
	int rc;
	if ((rc = in_only(in, members, err)) || (rc = in_str(in, "type", true, 48, &type, err)) ||
	    (rc = in_str(in, "scope", false, 40, &scope, err)) || (rc = in_str(in, "period", true, 32, &period, err)) ||
	    (rc = report_type_load(c, type, "type", &t, err)) || (rc = report_scope_of(c, &t, scope, period, &s, err)))
		goto done;
	if (!report_may_draft(c, &t, &s)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_report_by_secretariat, NULL, NULL);
		goto done;
	}
	if (store_report_find(c->db, t.name, s.body, s.period, &row) == 0) {
		char num[24];
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_report_exists, NULL, "id", nrm_num(num, j_int(row, "id")), NULL);
		goto done;
	}
	struct report_row r = {.type = t.name, .period = s.period, .first_day = s.first, .last_day = s.last, .due = s.due,
			       .body = s.body, .county = s.county, .meeting = s.meeting, .created_by = c->me->id};
	if ((rc = store_begin(c->db)) || (rc = store_report_add(c->db, &r, &id)) ||
	    (rc = store_report_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "report", id, NULL, row, NULL)) || (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:I}", "id", (json_int_t)id);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(row);
	report_type_free(&t);
	return rc;
}

/* Loads report id and its type when the caller reads it (no_such_report otherwise). */
static int load(struct nrm_ctx *c, int64_t id, json_t **row, struct report_type *t, struct nrm_err *err)
{
	json_t *r;
	if (store_report_get(c->db, id, &r) != 0)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_no_such_report, NULL, NULL);
	struct nrm_err ignored = {0};
	if (report_type_load(c, j_str(r, "type"), "type", t, &ignored) != 0 ||
	    !report_may_read(c, t, j_int(r, "county_id"), j_str(r, "status"))) {
		report_type_free(t);
		json_decref(r);
		return nrm_fail(err, NRM_ENOTFOUND, KEY_no_such_report, NULL, NULL);
	}
	*row = r;
	return 0;
}

int report_list(struct nrm_ctx *c, const char *county, const char *type, int64_t after, int limit, json_t **out,
		struct nrm_err *err)
{
	int64_t cid = 0;
	json_t *rows, *r;
	if (county && *county && store_county_id(c->db, county, &cid) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, "county", NULL);
	if (role_scope(c->me->role) == SCOPE_COUNTY)
		cid = c->me->county_id;
	int rc = store_reports(c->db, cid, type && *type ? type : NULL, after, limit, &rows);
	if (rc)
		return rc;
	json_t *items = json_array();
	size_t i;
	json_array_foreach(rows, i, r) {
		struct report_type t = {0};
		struct nrm_err ignored = {0};
		if (report_type_load(c, j_str(r, "type"), "type", &t, &ignored) == 0 &&
		    report_may_read(c, &t, j_int(r, "county_id"), j_str(r, "status"))) {
			json_object_set(r, "label", json_object_get(t.doc, "label"));
			json_object_del(r, "narrative");
			json_array_append(items, r);
		}
		report_type_free(&t);
	}
	json_decref(rows);
	*out = items;
	return 0;
}

/* The content of a report: its row, its type and its sections drafted now. */
static json_t *content(struct nrm_ctx *c, json_t *row, const struct report_type *t)
{
	struct report_scope s = {.body = j_int(row, "body_id"), .county = j_int(row, "county_id"),
				 .meeting = j_int(row, "meeting_id")};
	snprintf(s.county_slug, sizeof s.county_slug, "%s", j_str(row, "county"));
	snprintf(s.period, sizeof s.period, "%s", j_str(row, "period"));
	snprintf(s.first, sizeof s.first, "%s", j_str(row, "first_day"));
	snprintf(s.last, sizeof s.last, "%s", j_str(row, "last_day"));
	snprintf(s.due, sizeof s.due, "%s", j_str(row, "due"));
	/* A Table's report covers the day of its meeting. */
	struct nrm_err ignored = {0};
	if (s.meeting || period_parse(s.period, "period", &s.p, &ignored) != 0) {
		s.p = (struct period){.kind = PERIOD_RANGE};
		date_parse(s.first, &s.p.first);
		date_parse(s.last, &s.p.last);
		snprintf(s.p.name, sizeof s.p.name, "%s..%s", s.first, s.last);
	}
	json_t *v = json_pack("{s:O?, s:s, s:O, s:{s:O?, s:O?, s:O?, s:O?}, s:O?, s:O?, s:s, s:s, s:s, s:s, s:O, s:O, s:s, s:O}",
			      "id", json_object_get(row, "id"), "type", t->name, "label", json_object_get(t->doc, "label"),
			      "issuer", "kind", json_object_get(row, "body_kind"), "name", json_object_get(row, "body_name_sq"),
			      "name_en", json_object_get(row, "body_name_en"), "body", json_object_get(row, "body_id"),
			      "county", json_object_get(row, "county"), "county_name", json_object_get(row, "county_name_sq"),
			      "period", s.period, "first", s.first, "last", s.last, "due", s.due, "status",
			      json_object_get(row, "status"), "version", json_object_get(row, "version"), "audience",
			      t->audience, "to", json_object_get(t->doc, "to"));
	json_object_set_new(v, "sections", report_sections(c, t, &s, json_object_get(row, "narrative")));
	return v;
}

int report_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *row;
	struct report_type t = {0};
	int rc = load(c, id, &row, &t, err);
	if (rc)
		return rc;
	struct report_scope s = {.county = j_int(row, "county_id")};
	json_t *v = content(c, row, &t);
	if (strcmp(j_str(t.doc, "approval"), "all_members") == 0) {
		json_t *a = report_approvals_of(c, id, j_int(row, "body_id"));
		if (a)
			json_object_set_new(v, "approval", a);
	}
	/* The secretariat may always write: after submission, a change makes a new version. */
	json_object_set_new(v, "can_edit", json_boolean(report_may_draft(c, &t, &s)));
	report_can(c, &t, id, j_str(row, "county"), v);
	json_object_set(v, "created_at", json_object_get(row, "created_at"));
	json_object_set(v, "updated_at", json_object_get(row, "updated_at"));
	json_object_set(v, "delivered_at", json_object_get(row, "delivered_at"));
	json_decref(row);
	report_type_free(&t);
	*out = v;
	return 0;
}

int report_write(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const members[] = {"version", "sections", NULL};
	json_t *row = NULL, *given = json_object_get(in, "sections"), *narrative = NULL;
	struct report_type t = {0};
	char *text = NULL;
	int64_t version;
	int rc;
	if ((rc = in_only(in, members, err)) || (rc = in_int(in, "version", true, &version, err)))
		return rc;
	if (!json_is_object(given))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, "sections", NULL);
	if ((rc = load(c, id, &row, &t, err)))
		return rc;
	struct report_scope s = {.county = j_int(row, "county_id")};
	if (!report_may_draft(c, &t, &s)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_report_by_secretariat, NULL, NULL);
		goto done;
	}
	narrative = json_deep_copy(json_object_get(row, "narrative"));
	const char *k;
	json_t *v;
	json_object_foreach(given, k, v) {
		char field[64];
		snprintf(field, sizeof field, "sections.%.50s", k);
		bool written = false;
		size_t i;
		json_t *sec;
		json_array_foreach(json_object_get(t.doc, "sections"), i, sec)
			written |= strcmp(j_str(sec, "id"), k) == 0 && strcmp(j_str(sec, "kind"), "text") == 0;
		if (!written) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_report_section, field, NULL);
			goto done;
		}
		json_t *one = json_pack("{s:O}", "t", v);
		const char *txt;
		rc = in_str(one, "t", false, 20000, &txt, err);
		if (!rc && json_is_string(v))
			json_object_set(narrative, k, v);
		else if (!rc)
			json_object_del(narrative, k);
		json_decref(one);
		if (rc) {
			snprintf(err->field, sizeof err->field, "%s", field);
			goto done;
		}
	}
	if (!(text = json_dumps(narrative, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = NRM_ENOMEM;
		goto done;
	}
	json_t *names = json_array();
	json_object_foreach(given, k, v)
		json_array_append_new(names, json_string(k));
	json_t *after = json_pack("{s:o}", "sections", names);
	if ((rc = store_begin(c->db)))
		goto done_after;
	rc = store_report_narrative(c->db, id, version, text);
	if (rc == NRM_ECONFLICT)
		nrm_fail(err, rc, KEY_stale, "version", NULL);
	/* A version waiting for approval is no longer what the report says: its approvals lapse. */
	if (rc || (rc = store_report_supersede(c->db, id)) || (rc = secure_audit_id(c->db, c->me, "write", "report", id, NULL, after, NULL)) ||
	    (rc = store_commit(c->db)))
		goto done_after;
	rc = report_get(c, id, out, err);
done_after:
	json_decref(after);
done:
	if (rc)
		store_rollback(c->db);
	free(text);
	json_decref(narrative);
	json_decref(row);
	report_type_free(&t);
	return rc;
}

static int file_name(json_t *report, const char *format, char **name)
{
	char file[160];
	const char *county = json_string_value(json_object_get(report, "county"));
	snprintf(file, sizeof file, "%s%s%s-%s.%s", j_str(report, "type"), county ? "-" : "", county ? county : "",
		 j_str(report, "period"), format);
	*name = strdup(file);
	return *name ? 0 : NRM_ENOMEM;
}

int report_file(struct nrm_ctx *c, int64_t id, const char *format, const char *lang, struct buf *out, char **name,
		struct nrm_err *err)
{
	if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0 && strcmp(format, "pdf") != 0))
		return nrm_fail(err, NRM_EINVAL, KEY_report_format, "format", NULL);
	json_t *r, *frozen = NULL;
	int rc = report_get(c, id, &r, err);
	if (rc)
		return rc;
	/* Once approved and until changed again, a report is what was approved, with its signature. */
	const char *st = j_str(r, "status");
	bool out_ = strcmp(st, "delivered") == 0 || strcmp(st, "acknowledged") == 0 || strcmp(st, "returned") == 0;
	void *pdf;
	size_t len;
	/* In Albanian, the PDF is the very file that was delivered (nrm report verify checks it). */
	if (out_ && strcmp(format, "pdf") == 0 && (!lang || strcmp(lang, "en") != 0) &&
	    report_delivered_pdf(c, id, &pdf, &len) == 0) {
		rc = buf_append(out, pdf, len) ? NRM_ENOMEM : file_name(r, format, name);
		free(pdf);
		json_decref(r);
		return rc;
	}
	if (out_ && (frozen = report_frozen(c, id))) {
		json_decref(r);
		r = frozen;
	}
	if (!(rc = report_render(r, format, lang, out, err)))
		rc = file_name(r, format, name);
	json_decref(r);
	return rc;
}

int report_build(struct nrm_ctx *c, const char *type, const char *scope, const char *period, const char *format,
		 const char *lang, struct buf *out, struct nrm_err *err)
{
	struct report_type t = {0};
	struct report_scope s;
	json_t *row = NULL, *r = NULL;
	int rc;
	if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0 && strcmp(format, "pdf") != 0))
		return nrm_fail(err, NRM_EINVAL, KEY_report_format, "format", NULL);
	if ((rc = report_type_load(c, type, "type", &t, err)) || (rc = report_scope_of(c, &t, scope, period, &s, err)))
		goto done;
	if (store_report_find(c->db, t.name, s.body, s.period, &row) == 0) {
		rc = report_get(c, j_int(row, "id"), &r, err);
	} else {
		/* A draft made now and not kept: the row it would have. */
		json_t *none = json_object(), *body = NULL;
		struct nrm_err ignored = {0};
		if (s.body)
			org_body(c, s.body, &body, &ignored);
		row = json_pack("{s:s, s:I, s:I, s:s?, s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:i}", "type", t.name, "body_id",
				(json_int_t)s.body, "county_id", (json_int_t)s.county, "county",
				s.county ? s.county_slug : NULL, "period", s.period, "first_day", s.first, "last_day", s.last,
				"due", s.due, "meeting_id", (json_int_t)s.meeting, "status", "draft", "narrative", none,
				"version", 0);
		json_object_set(row, "body_name_sq", json_object_get(body, "name"));
		json_object_set(row, "body_name_en", json_object_get(body, "name_en"));
		json_object_set(row, "body_kind", json_object_get(body, "kind"));
		json_decref(body);
		r = content(c, row, &t);
	}
	if (!rc)
		rc = report_render(r, format, lang, out, err);
done:
	json_decref(r);
	json_decref(row);
	report_type_free(&t);
	return rc;
}
