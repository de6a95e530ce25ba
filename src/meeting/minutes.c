/* Minutes: drafted per agenda item from the agenda, attendance and decisions, approved at a
 * later meeting of the same body (with the amendments recorded), then frozen with the SHA-256
 * of their content (O94 §1.7a; I132 §9). */
#include "meeting/internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "store/meeting.h"

int meeting_minutes_set(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"summary", "items", NULL};
	static const char *const ifields[] = {"item", "minutes", NULL};
	json_t *m = NULL, *agenda = NULL, *items = json_object_get(in, "items"), *e, *it;
	const char *summary;
	size_t i, j;
	int rc;
	if ((rc = meeting_load(c, id, true, &m, NULL, err)) || (rc = in_only(in, fields, err)) ||
	    (rc = in_str(in, "summary", false, 20000, &summary, err)))
		goto done;
	if (strcmp(j_str(m, "status"), "held") != 0) {
		rc = strcmp(j_str(m, "status"), "scheduled") == 0 ? nrm_fail(err, NRM_ECONFLICT, KEY_attendance_first, NULL, NULL)
								   : meeting_require(m, "held", err);
		goto done;
	}
	if (strcmp(j_str(m, "minutes_status"), "approved") == 0) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_minutes_frozen, NULL, NULL);
		goto done;
	}
	if (items && (!json_is_array(items) || json_array_size(items) > 100)) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_not_list, "items", "max", "100", NULL);
		goto done;
	}
	if ((rc = store_agenda(c->db, id, &agenda)))
		goto done;
	json_array_foreach(items, i, e) {
		char f[32];
		int64_t item;
		const char *text;
		bool found = false;
		snprintf(f, sizeof f, "items.%zu", i);
		if (!json_is_object(e)) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_not_object, f, NULL);
			goto done;
		}
		if ((rc = in_only(e, ifields, err)) || (rc = in_int(e, "item", true, &item, err)) ||
		    (rc = in_str(e, "minutes", false, 20000, &text, err))) {
			nrm_err_nest(err, f);
			goto done;
		}
		json_array_foreach(agenda, j, it)
			found |= j_int(it, "id") == item;
		if (!found) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_item, f, NULL);
			goto done;
		}
	}
	if ((rc = store_begin(c->db)))
		goto done;
	if (in_has(in, "summary") && (rc = store_minutes_summary_set(c->db, id, summary)))
		goto done;
	json_array_foreach(items, i, e)
		if ((rc = store_agenda_set_minutes(c->db, j_int(e, "item"), j_str(e, "minutes")[0] ? j_str(e, "minutes") : NULL)))
			goto done;
	if ((rc = meeting_log(c, id, "minutes", NULL, in, NULL)) || (rc = store_commit(c->db)))
		goto done;
	rc = meeting_get(c, id, out, err);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(m);
	json_decref(agenda);
	return rc;
}

/* The minutes as a document, assembled from the meeting as it stands. */
static int assemble(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *m;
	int rc = meeting_get(c, id, &m, err);
	if (rc)
		return rc;
	static const char *const keys[] = {"id", "body", "body_kind", "body_name", "body_name_en", "county", "date", "time",
					   "end_time", "kind", "title", "location", "link", "minutes_summary", NULL};
	json_t *doc = json_pack("{s:o}", "meeting", j_pick(m, keys)), *present = json_array(), *guests = json_array(), *x;
	size_t i;
	json_array_foreach(json_object_get(m, "attendance"), i, x)
		json_array_append_new(present, json_pack("{s:O, s:O?, s:O?, s:O?, s:O?}", "label", json_object_get(x, "label"),
							 "member", json_object_get(x, "member"), "status",
							 json_object_get(x, "status"), "substitute",
							 json_object_get(x, "substitute"), "authorisation",
							 json_object_get(x, "authorisation")));
	json_array_foreach(json_object_get(m, "guests"), i, x)
		if (json_is_true(json_object_get(x, "attended")))
			json_array_append_new(guests, json_pack("{s:s, s:s?}", "name", j_str(x, "name"), "organisation",
								*j_str(x, "organisation") ? j_str(x, "organisation") : NULL));
	json_object_set_new(doc, "attendance", present);
	json_object_set_new(doc, "guests", guests);
	json_object_set(doc, "quorum", json_object_get(m, "quorum"));
	json_object_set(doc, "agenda", json_object_get(m, "agenda"));
	json_object_set(doc, "decisions", json_object_get(m, "decisions"));
	json_decref(m);
	*out = doc;
	return 0;
}

int meeting_minutes(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *m, *doc = NULL;
	enum meeting_access a;
	int rc = meeting_load(c, id, false, &m, &a, err);
	if (rc)
		return rc;
	bool approved = strcmp(j_str(m, "minutes_status"), "approved") == 0;
	if (approved) {
		doc = json_pack("{s:O, s:s, s:s, s:I, s:s?}", "minutes", json_object_get(m, "minutes"), "status",
				"approved", "sha256", j_str(m, "minutes_hash"), "approved_in",
				(json_int_t)j_int(m, "approved_in"), "amendments",
				*j_str(m, "amendments") ? j_str(m, "amendments") : NULL);
		if (a == MA_MONITOR) {
			size_t i;
			json_t *it;
			json_array_foreach(json_object_get(json_object_get(doc, "minutes"), "agenda"), i, it)
				json_object_del(json_object_get(it, "refs"), "cases");
			json_array_foreach(json_object_get(json_object_get(doc, "minutes"), "decisions"), i, it)
				json_object_del(it, "case_code");
		}
	} else if (a == MA_MONITOR) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_meeting_forbidden, NULL, NULL);
	} else if (!(rc = assemble(c, id, &doc, err))) {
		json_t *d = doc;
		doc = json_pack("{s:o, s:s}", "minutes", d, "status", "draft");
	}
	json_decref(m);
	if (rc)
		return rc;
	*out = doc;
	return 0;
}

int meeting_minutes_approve(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"in", "amendments", NULL};
	json_t *m = NULL, *later = NULL, *doc = NULL, *agenda = NULL, *it;
	const char *amend;
	int64_t in_id, did;
	size_t i;
	int rc;
	if ((rc = meeting_load(c, id, true, &m, NULL, err)) || (rc = in_only(in, fields, err)) ||
	    (rc = in_int(in, "in", true, &in_id, err)) || (rc = in_str(in, "amendments", false, 20000, &amend, err)) ||
	    (rc = meeting_require(m, "held", err)))
		goto done;
	if (strcmp(j_str(m, "minutes_status"), "approved") == 0) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_minutes_frozen, NULL, NULL);
		goto done;
	}
	if (store_meeting_get(c->db, in_id, &later) != 0) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_ref, "in", "kind", "meeting", NULL);
		goto done;
	}
	/* Approved by the body itself, in a meeting held after this one (by day and hour). */
	char a[32], b[32];
	snprintf(a, sizeof a, "%s %s", j_str(m, "date"), j_str(m, "time"));
	snprintf(b, sizeof b, "%s %s", j_str(later, "date"), j_str(later, "time"));
	if (in_id == id || j_int(later, "body") != j_int(m, "body") || strcmp(j_str(later, "status"), "held") != 0 ||
	    strcmp(b, a) <= 0 || strcmp(j_str(later, "minutes_status"), "approved") == 0) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_approve_in_later, "in", NULL);
		goto done;
	}
	if ((rc = assemble(c, id, &doc, err)) || (rc = store_agenda(c->db, in_id, &agenda)))
		goto done;
	if (amend)
		json_object_set_new(doc, "amendments", json_string(amend));
	char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	if (!text) {
		rc = NRM_ENOMEM;
		goto done;
	}
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	free(text);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	/* The approving meeting records it as its decision, on the item nrm proposed for it. */
	struct store_decision d = {.votes_for = -1, .votes_against = -1, .abstentions = -1};
	json_array_foreach(agenda, i, it)
		if (strcmp(j_str(it, "kind"), "minutes_approval") == 0)
			d.item = j_int(it, "id");
	char text_sq[200], when[DATE_LEN];
	meeting_day_text(j_str(m, "date"), when);
	snprintf(text_sq, sizeof text_sq, "Miratohet procesverbali i mbledhjes së datës %s%s.", when,
		 amend ? ", me ndryshimet e shënuara" : "");
	d.text = text_sq;
	json_t *seats = NULL, *quorum = NULL;
	if ((rc = meeting_seats(c, later, &seats, &quorum)))
		goto done;
	d.quorum = json_is_true(json_object_get(quorum, "held"));
	json_decref(seats);
	json_decref(quorum);
	json_t *after = json_pack("{s:s, s:I}", "sha256", hex, "in", (json_int_t)in_id);
	if ((rc = store_begin(c->db)) || (rc = store_minutes_freeze(c->db, id, doc, hex, in_id, amend)) ||
	    (rc = store_decision_add(c->db, in_id, &d, c->me->id, &did)) ||
	    (rc = meeting_log(c, id, "approve", NULL, after, NULL)) || (rc = store_commit(c->db))) {
		json_decref(after);
		goto done;
	}
	json_decref(after);
	rc = meeting_minutes(c, id, out, err);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(m);
	json_decref(later);
	json_decref(doc);
	json_decref(agenda);
	return rc;
}
