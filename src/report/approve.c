/* A report's way out: submitting freezes a version (its content as drafted now, in canonical
 * JSON, with its SHA-256); the version is approved as its type says — sent by the secretariat
 * (`sent`), or by a decision of the issuing body in a held meeting (`meeting`, O94 §1.7ç) —
 * or by every member seated in the issuing body (`all_members`, I132 §10) — then signed
 * (Ed25519, the key made with the key file) and delivered to its recipient, who acknowledges it
 * or returns it with comments. A report changed after its approval is a correction: a new
 * version with a reason and the figures that changed. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meeting/meeting.h"
#include "org/org.h"
#include "notify/notify.h"
#include "report/internal.h"
#include "secure/audit.h"
#include "secure/crypt.h"
#include "store/meeting.h"
#include "store/org.h"
#include "store/report.h"

/* What a version's signature covers. */
static void signed_text(int64_t report, int64_t version, const char *hash, char out[160])
{
	snprintf(out, 160, "nrm-report:%lld:%lld:%s", (long long)report, (long long)version, hash);
}

/* The numbers of a content by place ("section|table|row|column" → value), to compare versions. */
static json_t *cells_of(json_t *content)
{
	json_t *cells = json_object(), *s, *t, *r, *v;
	size_t i, j, k, n;
	json_array_foreach(json_object_get(content, "sections"), i, s) json_array_foreach(json_object_get(s, "tables"), j, t)
		json_array_foreach(json_object_get(t, "rows"), k, r) json_array_foreach(r, n, v) {
		if (!n)
			continue;
		char key[600];
		snprintf(key, sizeof key, "%s|%s|%s|%s", j_str(s, "id"), j_str(json_object_get(t, "title"), "sq"),
			 j_str(json_array_get(r, 0), "sq"),
			 j_str(json_array_get(json_object_get(t, "columns"), n), "sq"));
		json_object_set(cells, key, v);
	}
	return cells;
}

/* The figures that differ between two versions: [{"section", "table", "row", "column", "old", "new"}]. */
static json_t *changes(json_t *before, json_t *after)
{
	json_t *a = cells_of(before), *b = cells_of(after), *out = json_array(), *v;
	const char *k;
	json_object_foreach(b, k, v) {
		json_t *old = json_object_get(a, k);
		if (old && json_equal(old, v))
			continue;
		char part[4][160] = {"", "", "", ""};
		const char *at = k;
		for (int i = 0; i < 4; i++) {
			const char *bar = strchr(at, '|');
			size_t len = bar ? (size_t)(bar - at) : strlen(at);
			snprintf(part[i], sizeof part[i], "%.*s", (int)len, at);
			at = bar ? bar + 1 : at + len;
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:O?, s:O}", "section", part[0], "table", part[1], "row",
						     part[2], "column", part[3], "old", old, "new", v));
	}
	json_decref(a);
	json_decref(b);
	return out;
}

/* Keeps the PDF of the version just approved as it is delivered, signed byte for byte. */
static int keep_pdf(struct nrm_ctx *c, int64_t id, int64_t v)
{
	json_t *frozen = report_frozen(c, id);
	struct buf pdf = {0};
	struct nrm_err ignored = {0};
	char hash[65], msg[160], *sig = NULL;
	int rc = frozen ? report_render(frozen, "pdf", "sq", &pdf, &ignored) : NRM_EIO;
	if (!rc) {
		crypt_sha256_hex(pdf.p, pdf.len, hash);
		snprintf(msg, sizeof msg, "nrm-report-pdf:%lld:%lld:%s", (long long)id, (long long)v, hash);
		if (!(rc = crypt_sign(c->keys, msg, &sig)))
			rc = store_report_version_pdf(c->db, id, v, pdf.p, pdf.len, hash, sig);
	}
	free(sig);
	buf_free(&pdf);
	json_decref(frozen);
	return rc;
}

/* Approves version v: signs it and its PDF and delivers it to the recipient, in the caller's
 * transaction. */
static int approve(struct nrm_ctx *c, int64_t id, int64_t v, const char *hash)
{
	char msg[160], *sig = NULL;
	signed_text(id, v, hash, msg);
	int rc = crypt_sign(c->keys, msg, &sig);
	if (!rc && !(rc = store_report_version_approve(c->db, id, v, sig)) && !(rc = keep_pdf(c, id, v)))
		rc = store_report_status(c->db, id, "delivered");
	free(sig);
	return rc;
}

/* The latest version of a report (a new reference), or NULL. */
static json_t *latest(struct nrm_ctx *c, int64_t id, bool content)
{
	json_t *all;
	if (store_report_versions(c->db, id, content, &all) != 0)
		return NULL;
	json_t *v = json_incref(json_array_get(all, 0));
	json_decref(all);
	return v;
}

/* The latest approved version's content (a new reference), or NULL. */
static json_t *approved_content(struct nrm_ctx *c, int64_t id)
{
	json_t *all, *v, *out = NULL;
	size_t i;
	if (store_report_versions(c->db, id, true, &all) != 0)
		return NULL;
	json_array_foreach(all, i, v)
		if (!out && strcmp(j_str(v, "status"), "approved") == 0)
			out = json_incref(json_object_get(v, "content"));
	json_decref(all);
	return out;
}

static int standing(struct nrm_ctx *c, int64_t body, int64_t id, int64_t v, json_t **out, struct nrm_err *err);

/* Tells of version v of report r (its view): who approves it (report_to_approve: the accounts
 * of the members seated in the issuing body), or its secretariat (report_returned). */
static int tell(struct nrm_ctx *c, json_t *r, int64_t id, int64_t v, const char *kind, const char *comment)
{
	static const char *const county_sec[] = {"county_secretariat", NULL};
	static const char *const national_sec[] = {"authority_secretariat", NULL};
	json_t *issuer = json_object_get(r, "issuer"), *st = NULL, *seat;
	json_t *params = json_pack("{s:s, s:O?, s:s, s:I, s:O?, s:s?}", "type", j_str(r, "type"), "label",
				   json_object_get(r, "label"), "period", j_str(r, "period"), "version", (json_int_t)v,
				   "body", json_object_get(issuer, "name"), "comment", comment);
	struct notify_msg m = {.kind = kind, .entity = "report", .entity_id = id, .params = params};
	struct nrm_err ignored = {0};
	size_t i;
	int rc = 0;
	if (strcmp(kind, "report_returned") == 0) {
		int64_t county = 0;
		const char *slug = json_string_value(json_object_get(r, "county"));
		if (!slug || !(rc = store_county_id(c->db, slug, &county)))
			rc = notify_roles(c, county ? county_sec : national_sec, county, &m);
	} else if (j_int(issuer, "body") && !(rc = standing(c, j_int(issuer, "body"), id, v, &st, &ignored))) {
		json_array_foreach(json_object_get(st, "seats"), i, seat)
			if (!rc)
				rc = notify_person(c, j_int(seat, "person"), &m);
	}
	json_decref(st);
	json_decref(params);
	return rc;
}

int report_submit(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const members[] = {"reason", NULL};
	const char *reason = NULL;
	json_t *r = NULL, *content = NULL, *before = NULL, *diff = NULL;
	struct report_type t = {0};
	char *canon = NULL, *diffs = NULL, hash[65];
	int64_t v;
	int rc;
	if ((rc = in_only(in, members, err)) || (rc = in_str(in, "reason", false, 2000, &reason, err)) ||
	    (rc = report_get(c, id, &r, err)))
		return rc;
	if (!json_is_true(json_object_get(r, "can_edit"))) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_report_by_secretariat, NULL, NULL);
		goto done;
	}
	struct nrm_err ignored = {0};
	if ((rc = report_type_load(c, j_str(r, "type"), "type", &t, &ignored)))
		goto done;
	/* What is frozen: the content, not how the reader sees it. */
	content = json_deep_copy(r);
	static const char *const volatile_keys[] = {"can_edit", "status", "version", "created_at", "updated_at"};
	for (size_t i = 0; i < sizeof volatile_keys / sizeof *volatile_keys; i++)
		json_object_del(content, volatile_keys[i]);
	if (!(canon = json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = NRM_ENOMEM;
		goto done;
	}
	crypt_sha256_hex(canon, strlen(canon), hash);
	/* After an approval, a new version is a correction: why, and which figures changed. */
	if ((before = approved_content(c, id))) {
		if (!reason || !*reason) {
			rc = nrm_fail(err, NRM_EINVAL, KEY_required, "reason", NULL);
			goto done;
		}
		diff = changes(before, content);
		diffs = json_dumps(diff, JSON_COMPACT);
	}
	const char *rule = j_str(t.doc, "approval");
	if ((rc = store_begin(c->db)) || (rc = store_report_supersede(c->db, id)) ||
	    (rc = store_report_version_add(c->db, id, canon, hash, reason, diffs, c->me->id, &v)) ||
	    (rc = store_report_status(c->db, id, "submitted")))
		goto done;
	/* A report its secretariat sends is approved by being sent. */
	if (strcmp(rule, "sent") == 0 ? (rc = approve(c, id, v, hash)) != 0
				       : (rc = tell(c, r, id, v, "report_to_approve", NULL)) != 0)
		goto done;
	json_t *after = json_pack("{s:I, s:s}", "version", (json_int_t)v, "hash", hash);
	rc = secure_audit_id(c->db, c->me, "submit", "report", id, NULL, after, NULL);
	json_decref(after);
	if (rc || (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:I, s:s, s:s, s:O?}", "version", (json_int_t)v, "hash", hash, "status",
			 strcmp(rule, "sent") == 0 ? "delivered" : "submitted", "changes", diff);
done:
	if (rc)
		store_rollback(c->db);
	free(canon);
	free(diffs);
	json_decref(diff);
	json_decref(before);
	json_decref(content);
	json_decref(r);
	report_type_free(&t);
	return rc;
}

/* The seats of the issuing body held today, each with its latest decision on version v:
 * {"seats": [{"seat", "label", "person", "decision"?}], "approved", "filled"}. */
static int standing(struct nrm_ctx *c, int64_t body, int64_t id, int64_t v, json_t **out, struct nrm_err *err)
{
	json_t *b = NULL, *votes = NULL, *seat, *x;
	int rc = org_body(c, body, &b, err);
	if (rc || (rc = store_report_approvals(c->db, id, v, &votes))) {
		json_decref(b);
		return rc;
	}
	json_t *list = json_array();
	json_int_t approved = 0;
	size_t i, j;
	json_array_foreach(json_object_get(b, "seats"), i, seat) {
		json_t *m = json_object_get(seat, "member");
		if (!json_is_object(m))
			continue;
		const char *decision = NULL;
		json_array_foreach(votes, j, x)
			if (j_int(x, "seat") == j_int(seat, "id"))
				decision = j_str(x, "decision");
		approved += decision && strcmp(decision, "approve") == 0;
		json_array_append_new(list, json_pack("{s:O, s:O?, s:O, s:O?, s:s?}", "seat", json_object_get(seat, "id"), "label",
						      json_object_get(seat, "label"), "person", json_object_get(m, "person"),
						      "name", json_object_get(m, "name"), "decision", decision));
	}
	*out = json_pack("{s:o, s:I, s:I, s:o}", "seats", list, "approved", approved, "filled",
			 (json_int_t)json_array_size(list), "votes", votes);
	json_decref(b);
	return 0;
}

json_t *report_approvals_of(struct nrm_ctx *c, int64_t id, int64_t body)
{
	json_t *v = latest(c, id, false), *st = NULL;
	struct nrm_err ignored = {0};
	if (!v || strcmp(j_str(v, "status"), "submitted") != 0 || standing(c, body, id, j_int(v, "version"), &st, &ignored)) {
		json_decref(v);
		return NULL;
	}
	json_object_set(st, "version", json_object_get(v, "version"));
	json_decref(v);
	return st;
}

/* Approval by the member in a seat of the issuing body (all_members): once every held seat has
 * approved the version, it is signed and delivered, in the transaction of the last approval. */
static int by_member(struct nrm_ctx *c, json_t *r, json_t *in, int64_t id, int64_t version, json_t *v, json_t **out,
		     struct nrm_err *err)
{
	static const char *const decisions[] = {"approve", "changes", NULL};
	const char *decision, *comment = NULL;
	json_t *st = NULL, *after = NULL, *seat;
	int64_t body = j_int(json_object_get(r, "issuer"), "body"), mine = 0;
	int rc;
	if ((rc = in_enum(in, "decision", true, decisions, &decision, err)) ||
	    (rc = in_str(in, "comment", strcmp(decision, "changes") == 0, 4000, &comment, err)) ||
	    (rc = standing(c, body, id, version, &st, err)))
		return rc;
	size_t i;
	json_array_foreach(json_object_get(st, "seats"), i, seat)
		if (c->me->person_id && j_int(seat, "person") == c->me->person_id)
			mine = j_int(seat, "seat");
	if (!mine || !(c->me->role == ROLE_AUTHORITY_CHAIR || c->me->role == ROLE_AUTHORITY_MEMBER)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_report_by_member, NULL, NULL);
		goto done;
	}
	/* Every held seat approves, this one's decision counted as given now. */
	json_int_t approved = 0, filled = j_int(st, "filled");
	json_array_foreach(json_object_get(st, "seats"), i, seat) {
		const char *d = j_int(seat, "seat") == mine ? decision : j_str(seat, "decision");
		approved += strcmp(d, "approve") == 0;
	}
	bool complete = filled > 0 && approved == filled;
	after = json_pack("{s:I, s:I, s:s}", "version", (json_int_t)version, "seat", (json_int_t)mine, "decision", decision);
	if ((rc = store_begin(c->db)) ||
	    (rc = store_report_approval_add(c->db, id, version, mine, c->me->id, c->me->username, decision, comment)) ||
	    (complete && (rc = approve(c, id, version, j_str(v, "hash")))) ||
	    (rc = secure_audit_id(c->db, c->me, "approve", "report", id, NULL, after, NULL)) || (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:I, s:s, s:I, s:I}", "version", (json_int_t)version, "status", complete ? "delivered" : "submitted",
			 "approved", approved, "filled", filled);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(after);
	json_decref(st);
	return rc;
}

int report_approve(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const members[] = {"version", "meeting", "votes", "decision", "comment", NULL};
	json_t *r = NULL, *v = NULL, *m = NULL, *decided = NULL, *din = NULL, *row = NULL;
	struct report_type t = {0};
	int64_t version, meeting;
	int rc;
	if ((rc = in_only(in, members, err)) || (rc = in_int(in, "version", true, &version, err)) ||
	    (rc = report_get(c, id, &r, err)))
		return rc;
	struct nrm_err ignored = {0};
	if ((rc = report_type_load(c, j_str(r, "type"), "type", &t, &ignored)) || (rc = store_report_get(c->db, id, &row)))
		goto done;
	const char *rule = j_str(t.doc, "approval");
	if (strcmp(rule, "all_members") != 0 && strcmp(rule, "meeting") != 0) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_report_approval_rule, "meeting", "rule", rule, NULL);
		goto done;
	}
	v = latest(c, id, false);
	if (!v || j_int(v, "version") != version || strcmp(j_str(v, "status"), "submitted") != 0) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_stale, "version", NULL);
		goto done;
	}
	if (strcmp(rule, "all_members") == 0) {
		rc = by_member(c, r, in, id, version, v, out, err);
		goto done;
	}
	struct report_scope s = {.county = j_int(row, "county_id")};
	if (!report_may_draft(c, &t, &s)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_report_by_secretariat, NULL, NULL);
		goto done;
	}
	if ((rc = in_int(in, "meeting", true, &meeting, err)))
		goto done;
	/* The issuing body's own meeting, held on or after the day the version was submitted. */
	if (store_meeting_get(c->db, meeting, &m) != 0 || j_int(m, "body") != j_int(json_object_get(r, "issuer"), "body") ||
	    strncmp(j_str(m, "date"), j_str(v, "submitted_at"), 10) < 0) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_report_meeting_approval, "meeting", NULL);
		goto done;
	}
	char text[600];
	snprintf(text, sizeof text, "Miratohet %s, periudha %s (versioni %lld, SHA-256 %.16s…).",
		 j_str(json_object_get(r, "label"), "sq"), j_str(r, "period"), (long long)version, j_str(v, "hash"));
	din = json_pack("{s:s, s:O?}", "text", text, "votes", json_object_get(in, "votes"));
	if ((rc = store_begin(c->db)) || (rc = meeting_decide(c, meeting, din, &decided, err)) ||
	    (rc = approve(c, id, version, j_str(v, "hash"))))
		goto done;
	json_t *after = json_pack("{s:I, s:I, s:O}", "version", (json_int_t)version, "meeting", (json_int_t)meeting,
				  "decision", json_object_get(decided, "id"));
	rc = secure_audit_id(c->db, c->me, "approve", "report", id, NULL, after, NULL);
	json_decref(after);
	if (rc || (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:I, s:s, s:O}", "version", (json_int_t)version, "status", "delivered", "decision",
			 json_object_get(decided, "id"));
done:
	if (rc)
		store_rollback(c->db);
	json_decref(row);
	json_decref(din);
	json_decref(decided);
	json_decref(m);
	json_decref(v);
	json_decref(r);
	report_type_free(&t);
	return rc;
}

int report_versions(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *r;
	int rc = report_get(c, id, &r, err);
	if (rc)
		return rc;
	json_decref(r);
	return store_report_versions(c->db, id, false, out);
}

int report_version_file(struct nrm_ctx *c, int64_t id, int64_t version, json_t **out, struct nrm_err *err)
{
	json_t *r, *all, *x, *found = NULL;
	int rc = report_get(c, id, &r, err);
	if (rc)
		return rc;
	json_decref(r);
	if ((rc = store_report_versions(c->db, id, true, &all)))
		return rc;
	size_t i;
	json_array_foreach(all, i, x)
		if (j_int(x, "version") == version)
			found = x;
	if (!found || strcmp(j_str(found, "status"), "approved") != 0) {
		json_decref(all);
		return nrm_fail(err, NRM_ENOTFOUND, KEY_no_such_report, NULL, NULL);
	}
	char pub[64], msg[160];
	signed_text(id, version, j_str(found, "hash"), msg);
	/* The key that signed it: a version approved before a key rotation names its old key. */
	if (crypt_verify_any(c->keys, msg, j_str(found, "signature"), pub) != 0)
		crypt_sign_public(c->keys, pub);
	*out = json_pack("{s:s, s:I, s:I, s:O, s:O, s:O, s:s, s:s, s:O?, s:O?}", "format", "nrm-report/1", "report",
			 (json_int_t)id, "version", (json_int_t)version, "content", json_object_get(found, "content"), "hash",
			 json_object_get(found, "hash"), "signature", json_object_get(found, "signature"), "public_key", pub,
			 "signed", msg, "approved_at", json_object_get(found, "approved_at"), "reason",
			 json_object_get(found, "reason"));
	json_decref(all);
	return 0;
}

int report_verify(json_t *file, const char *public_key, json_t **out, struct nrm_err *err)
{
	json_t *content = json_object_get(file, "content");
	char *canon = content ? json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS) : NULL, hash[65], msg[160];
	if (!canon)
		return nrm_fail(err, NRM_EINVAL, KEY_report_not_signed, "content", NULL);
	crypt_sha256_hex(canon, strlen(canon), hash);
	free(canon);
	signed_text(j_int(file, "report"), j_int(file, "version"), hash, msg);
	const char *key = public_key ? public_key : j_str(file, "public_key");
	bool same_hash = strcmp(hash, j_str(file, "hash")) == 0,
	     signature = crypt_verify(key, msg, j_str(file, "signature")) == 0;
	if (!same_hash || !signature)
		return nrm_fail(err, NRM_EAUTH, KEY_report_not_signed, same_hash ? "signature" : "content", NULL);
	*out = json_pack("{s:I, s:I, s:s, s:s}", "report", (json_int_t)j_int(file, "report"), "version",
			 (json_int_t)j_int(file, "version"), "hash", hash, "public_key", key);
	return 0;
}

int report_answer(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const members[] = {"version", "answer", "comment", NULL};
	static const char *const answers[] = {"acknowledged", "returned", NULL};
	const char *answer, *comment = NULL;
	json_t *r = NULL, *v = NULL, *row = NULL;
	struct report_type t = {0};
	int64_t version;
	int rc;
	if ((rc = in_only(in, members, err)) || (rc = in_int(in, "version", true, &version, err)) ||
	    (rc = in_enum(in, "answer", true, answers, &answer, err)) ||
	    (rc = in_str(in, "comment", strcmp(answer, "returned") == 0, 4000, &comment, err)) ||
	    (rc = report_get(c, id, &r, err)))
		return rc;
	struct nrm_err ignored = {0};
	if ((rc = report_type_load(c, j_str(r, "type"), "type", &t, &ignored)))
		goto done;
	if (!report_receives(c, &t, j_str(r, "county"))) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_report_by_recipient, NULL, NULL);
		goto done;
	}
	v = latest(c, id, false);
	if (!v || j_int(v, "version") != version || strcmp(j_str(v, "status"), "approved") != 0 || *j_str(v, "answer")) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_stale, "version", NULL);
		goto done;
	}
	json_t *after = json_pack("{s:I, s:s}", "version", (json_int_t)version, "answer", answer);
	if ((rc = store_begin(c->db)) ||
	    (rc = store_report_version_answer(c->db, id, version, answer, c->me->id, comment)) ||
	    (rc = store_report_status(c->db, id, answer)) ||
	    (strcmp(answer, "returned") == 0 && (rc = tell(c, r, id, version, "report_returned", comment))) ||
	    (rc = secure_audit_id(c->db, c->me, "answer", "report", id, NULL, after, NULL)) || (rc = store_commit(c->db))) {
		json_decref(after);
		goto done;
	}
	json_decref(after);
	rc = report_get(c, id, out, err);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(row);
	json_decref(v);
	json_decref(r);
	report_type_free(&t);
	return rc;
}

json_t *report_frozen(struct nrm_ctx *c, int64_t id)
{
	json_t *all, *x, *out = NULL;
	size_t i;
	if (store_report_versions(c->db, id, true, &all) != 0)
		return NULL;
	json_array_foreach(all, i, x) {
		if (out || strcmp(j_str(x, "status"), "approved") != 0)
			continue;
		char pub[64], msg[160];
		signed_text(id, j_int(x, "version"), j_str(x, "hash"), msg);
		if (crypt_verify_any(c->keys, msg, j_str(x, "signature"), pub) != 0)
			crypt_sign_public(c->keys, pub);
		out = json_deep_copy(json_object_get(x, "content"));
		json_object_set_new(out, "signature",
				    json_pack("{s:O, s:O, s:O, s:s, s:O, s:O?}", "version", json_object_get(x, "version"), "hash",
					      json_object_get(x, "hash"), "signature", json_object_get(x, "signature"),
					      "public_key", pub, "approved_at", json_object_get(x, "approved_at"), "reason",
					      json_object_get(x, "reason")));
	}
	json_decref(all);
	return out;
}

void report_can(struct nrm_ctx *c, const struct report_type *t, int64_t id, const char *county, json_t *view)
{
	json_t *v = latest(c, id, false);
	const char *rule = j_str(t->doc, "approval"), *st = j_str(v, "status");
	bool drafts = json_is_true(json_object_get(view, "can_edit")), waiting = v && strcmp(st, "submitted") == 0, mine = false;
	json_t *seat;
	size_t i;
	json_array_foreach(json_object_get(json_object_get(view, "approval"), "seats"), i, seat)
		mine |= c->me->person_id && j_int(seat, "person") == c->me->person_id;
	bool approve = waiting && ((strcmp(rule, "meeting") == 0 && drafts) ||
				   (strcmp(rule, "all_members") == 0 && mine &&
				    (c->me->role == ROLE_AUTHORITY_CHAIR || c->me->role == ROLE_AUTHORITY_MEMBER)));
	bool answer = v && strcmp(st, "approved") == 0 && !*j_str(v, "answer") && report_receives(c, t, county);
	json_object_set_new(view, "can_submit", json_boolean(drafts));
	json_object_set_new(view, "can_approve", json_boolean(approve));
	json_object_set_new(view, "can_answer", json_boolean(answer));
	json_object_set_new(view, "pending", v ? json_pack("{s:O, s:O, s:O?}", "version", json_object_get(v, "version"), "status",
							   json_object_get(v, "status"), "answer", json_object_get(v, "answer"))
						 : json_null());
	json_decref(v);
}

int report_delivered_pdf(struct nrm_ctx *c, int64_t id, void **pdf, size_t *len)
{
	json_t *all, *x;
	int64_t v = 0;
	size_t i;
	if (store_report_versions(c->db, id, false, &all) != 0)
		return NRM_EIO;
	json_array_foreach(all, i, x)
		if (!v && strcmp(j_str(x, "status"), "approved") == 0)
			v = j_int(x, "version");
	json_decref(all);
	return v ? store_report_pdf(c->db, id, v, pdf, len) : NRM_ENOTFOUND;
}

int report_verify_pdf(struct nrm_ctx *c, const void *pdf, size_t len, json_t **out, struct nrm_err *err)
{
	char hash[65], msg[160], pub[64];
	json_t *row;
	crypt_sha256_hex(pdf, len, hash);
	if (store_report_pdf_find(c->db, hash, &row) != 0)
		return nrm_fail(err, NRM_EAUTH, KEY_report_not_signed, "pdf", NULL);
	snprintf(msg, sizeof msg, "nrm-report-pdf:%lld:%lld:%s", (long long)j_int(row, "report"),
		 (long long)j_int(row, "version"), hash);
	/* By any version of the keyring: PDFs approved before a key rotation still verify. */
	int rc = crypt_verify_any(c->keys, msg, j_str(row, "pdf_signature"), pub);
	if (!rc)
		*out = json_pack("{s:O, s:O, s:s, s:s}", "report", json_object_get(row, "report"), "version",
				 json_object_get(row, "version"), "hash", hash, "public_key", pub);
	json_decref(row);
	return rc ? nrm_fail(err, NRM_EAUTH, KEY_report_not_signed, "pdf", NULL) : 0;
}
