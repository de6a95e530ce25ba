/* Files of the bodies' work: a meeting's materials, the letters of the correspondence register,
 * and a body's own standing documents — its rules of procedure (I132 §14: within a month of
 * the act's entry into force) and others — adopted in a meeting, in versions. Every file is
 * checked as secure/upload.h says. */
#include "meeting/internal.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "core/labels.h"
#include "secure/audit.h"
#include "secure/upload.h"
#include "store/meeting.h"
#include "store/notice.h"
#include "store/org.h"

int meeting_material_add(struct nrm_ctx *c, int64_t id, const struct upload *f, json_t **out, struct nrm_err *err)
{
	json_t *m = NULL, *after = NULL;
	int64_t doc;
	int rc;
	if ((rc = meeting_load(c, id, true, &m, NULL, err)))
		return rc;
	if (strcmp(j_str(m, "minutes_status"), "approved") == 0) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_minutes_frozen, NULL, NULL);
		goto done;
	}
	if (strcmp(j_str(m, "status"), "cancelled") == 0) {
		rc = meeting_require(m, "scheduled", err);
		goto done;
	}
	if ((rc = store_begin(c->db)) || (rc = upload_add(c->db, c->me, f, &doc, err)) ||
	    (rc = store_meeting_document_add(c->db, id, doc)) ||
	    !(after = json_pack("{s:I}", "document", (json_int_t)doc)) || (rc = meeting_log(c, id, "material", NULL, after, NULL)) ||
	    (rc = store_commit(c->db)))
		goto done;
	rc = meeting_get(c, id, out, err);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(m);
	json_decref(after);
	return rc;
}

int meeting_material_get(struct nrm_ctx *c, int64_t id, int64_t doc, struct meeting_file *out, struct nrm_err *err)
{
	json_t *m;
	int rc = store_meeting_get(c->db, id, &m);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_meeting, NULL, NULL) : rc;
	/* Materials may speak of cases: the Ministry's monitor reads the minutes, not them. */
	rc = meeting_allowed(c, m, false, false, NULL, err);
	json_decref(m);
	if (rc || (rc = store_meeting_document_of(c->db, id, doc)) ||
	    (rc = upload_get(c->db, doc, &out->data, &out->len, &out->mime, &out->disposition)))
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_document_not_of_meeting, "document", NULL) : rc;
	return 0;
}

/* ---- a record with one file: a letter, a body's document ---- */

typedef int (*load_fn)(struct nrm_ctx *c, int64_t id, bool edit, json_t **out, struct nrm_err *err);
struct record {
	const char *entity;
	load_fn load;
	int (*get)(struct store *s, int64_t id, json_t **out);
	int (*set)(struct store *s, int64_t id, int64_t document);
};

static int file_put(struct nrm_ctx *c, const struct record *k, int64_t id, const struct upload *f, json_t **out,
		    struct nrm_err *err)
{
	json_t *before = NULL, *row = NULL;
	int64_t doc;
	int rc;
	if ((rc = k->load(c, id, true, &before, err)))
		return rc;
	if ((rc = store_begin(c->db)) || (rc = upload_add(c->db, c->me, f, &doc, err)) || (rc = k->set(c->db, id, doc)) ||
	    (rc = k->get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "upload", k->entity, id, json_object_get(before, "document"),
				  json_object_get(row, "document"), NULL)) ||
	    (rc = store_commit(c->db)))
		goto done;
	json_object_del(row, "county_id");
	*out = row;
	row = NULL;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(before);
	json_decref(row);
	return rc;
}

static int file_get(struct nrm_ctx *c, load_fn load, int64_t id, struct meeting_file *out, struct nrm_err *err)
{
	json_t *r;
	int rc = load(c, id, false, &r, err);
	if (rc)
		return rc;
	int64_t doc = j_int(r, "document");
	json_decref(r);
	if (!doc || (rc = upload_get(c->db, doc, &out->data, &out->len, &out->mime, &out->disposition)))
		return !doc || rc == NRM_ENOTFOUND ? nrm_fail(err, NRM_ENOTFOUND, KEY_no_file, NULL, NULL) : rc;
	return 0;
}

/* ---- letters of the register ---- */

static int letter_load(struct nrm_ctx *c, int64_t id, bool edit, json_t **out, struct nrm_err *err)
{
	json_t *l;
	int rc = store_letter_get(c->db, id, &l);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_not_found, NULL, NULL) : rc;
	if ((rc = meeting_allowed(c, l, edit, false, NULL, err))) {
		json_decref(l);
		return rc;
	}
	*out = l;
	return 0;
}

int meeting_letter_file_put(struct nrm_ctx *c, int64_t id, const struct upload *f, json_t **out, struct nrm_err *err)
{
	static const struct record letters = {"letter", letter_load, store_letter_get, store_letter_set_document};
	return file_put(c, &letters, id, f, out, err);
}

int meeting_letter_file_get(struct nrm_ctx *c, int64_t id, struct meeting_file *out, struct nrm_err *err)
{
	return file_get(c, letter_load, id, out, err);
}

/* ---- a body's standing documents ---- */

int meeting_body_documents(struct nrm_ctx *c, int64_t body, json_t **out, struct nrm_err *err)
{
	json_t *b = NULL, *rules = NULL, *docs = NULL, *req = json_array(), *r, *d;
	size_t i, j;
	int rc = store_body_get(c->db, body, &b);
	if (rc) {
		json_decref(req);
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_body, NULL, NULL) : rc;
	}
	if ((rc = meeting_allowed(c, b, false, true, NULL, err)) || (rc = store_body_documents(c->db, body, &docs)))
		goto done;
	rules = meeting_rules(c, b);
	int32_t est = 0;
	bool known = *j_str(b, "established") && date_parse(j_str(b, "established"), &est) == 0;
	json_array_foreach(json_object_get(rules, "documents"), i, r) {
		const char *adopted = NULL;
		json_array_foreach(docs, j, d)
			if (strcmp(j_str(d, "kind"), j_str(r, "kind")) == 0 && *j_str(d, "adopted_on") &&
			    (!adopted || strcmp(j_str(d, "adopted_on"), adopted) < 0))
				adopted = j_str(d, "adopted_on");
		char due[DATE_LEN] = "";
		int32_t due_day = date_add_months(est, (int)j_int(r, "due_months"));
		if (known)
			date_format(due_day, due);
		json_array_append_new(req, json_pack("{s:s, s:s?, s:s?, s:b, s:b, s:s?}", "kind", j_str(r, "kind"), "due",
						     known ? due : NULL, "adopted_on", adopted, "overdue",
						     !adopted && known && due_day < c->today, "late",
						     adopted && known && strcmp(adopted, due) > 0, "source",
						     *j_str(r, "source") ? j_str(r, "source") : NULL));
	}
	json_array_foreach(docs, i, d)
		json_object_del(d, "county_id");
	*out = json_pack("{s:O, s:O}", "documents", docs, "required", req);
done:
	json_decref(b);
	json_decref(rules);
	json_decref(docs);
	json_decref(req);
	return rc;
}

int meeting_body_document_create(struct nrm_ctx *c, int64_t body, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"kind", "title", "adopted_in", NULL};
	json_t *b = NULL, *m = NULL, *row = NULL;
	struct store_body_document d = {.body = body};
	int64_t id;
	int rc = store_body_get(c->db, body, &b);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_body, NULL, NULL) : rc;
	if ((rc = meeting_allowed(c, b, true, false, NULL, err)) || (rc = in_only(in, fields, err)) ||
	    (rc = in_str(in, "kind", true, 40, &d.kind, err)) ||
	    (rc = in_line(in, "title", true, 300, &d.title, err)) || (rc = in_int(in, "adopted_in", false, &d.adopted_in, err)))
		goto done;
	/* The kinds are those labels.json names (body_document_kind). */
	if (strcmp(labels_get(c->labels, "body_document_kind", d.kind, "sq"), d.kind) == 0) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_not_code, "kind", "list", "body_document_kind", NULL);
		goto done;
	}
	if (d.adopted_in) {
		if (store_meeting_get(c->db, d.adopted_in, &m) != 0 || j_int(m, "body") != body ||
		    strcmp(j_str(m, "status"), "held") != 0) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_ref, "adopted_in", "kind", "meeting", NULL);
			goto done;
		}
		d.adopted_on = j_str(m, "date");
	}
	if ((rc = store_begin(c->db)) || (rc = store_body_document_add(c->db, &d, c->me->id, &id)) ||
	    (rc = store_body_document_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "body_document", id, NULL, row, NULL)) ||
	    (rc = store_commit(c->db)))
		goto done;
	json_object_del(row, "county_id");
	*out = row;
	row = NULL;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(b);
	json_decref(m);
	json_decref(row);
	return rc;
}

static int body_document_load(struct nrm_ctx *c, int64_t id, bool edit, json_t **out, struct nrm_err *err)
{
	json_t *d;
	int rc = store_body_document_get(c->db, id, &d);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_not_found, NULL, NULL) : rc;
	if ((rc = meeting_allowed(c, d, edit, true, NULL, err))) {
		json_decref(d);
		return rc;
	}
	*out = d;
	return 0;
}

int meeting_body_document_file_put(struct nrm_ctx *c, int64_t id, const struct upload *f, json_t **out,
				   struct nrm_err *err)
{
	static const struct record docs = {"body_document", body_document_load, store_body_document_get,
					   store_body_document_set_file};
	return file_put(c, &docs, id, f, out, err);
}

int meeting_body_document_file_get(struct nrm_ctx *c, int64_t id, struct meeting_file *out, struct nrm_err *err)
{
	return file_get(c, body_document_load, id, out, err);
}
