/* Meetings: who may see them, scheduling, changing and cancelling one, reading it whole, and
 * its calendar entry. */
#include "meeting/internal.h"

#include <assert.h>
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "core/buf.h"
#include "core/input.h"
#include "core/labels.h"
#include "mail/mail.h"
#include "meeting/ics.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/meeting.h"
#include "store/notice.h"
#include "store/org.h"

enum meeting_access meeting_access_of(struct nrm_ctx *c, json_t *row)
{
	int64_t county = j_int(row, "county_id");
	if (perm_org_edit(c->me, county))
		return MA_EDIT;
	switch (c->me->role) {
	case ROLE_MINISTRY_MONITOR:
		return MA_MONITOR;
	case ROLE_AUTHORITY_CHAIR:
	case ROLE_AUTHORITY_MEMBER:
	case ROLE_AUTHORITY_SECRETARIAT:
		return MA_READ;
	case ROLE_COUNTY_SECRETARIAT:
	case ROLE_KRAT_MEMBER:
	case ROLE_TABLE_MEMBER:
		return county > 0 && county == c->me->county_id ? MA_READ : MA_NONE;
	default:
		return MA_NONE;
	}
}

int meeting_allowed(struct nrm_ctx *c, json_t *row, bool edit, bool monitor, enum meeting_access *access,
		    struct nrm_err *err)
{
	enum meeting_access a = meeting_access_of(c, row);
	if (a == MA_NONE || (a == MA_MONITOR && !monitor))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_meeting_forbidden, NULL, NULL);
	if (edit && a != MA_EDIT)
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_meetings_by_secretariat, NULL, NULL);
	if (access)
		*access = a;
	return 0;
}

int meeting_load(struct nrm_ctx *c, int64_t id, bool edit, json_t **out, enum meeting_access *access,
		 struct nrm_err *err)
{
	json_t *m;
	int rc = store_meeting_get(c->db, id, &m);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_meeting, NULL, NULL) : rc;
	if ((rc = meeting_allowed(c, m, edit, true, access, err))) {
		json_decref(m);
		return rc;
	}
	*out = m;
	return 0;
}

int meeting_require(json_t *m, const char *status, struct nrm_err *err)
{
	if (strcmp(j_str(m, "status"), status) == 0)
		return 0;
	return nrm_fail(err, NRM_ECONFLICT, KEY_meeting_state, "status", "status", j_str(m, "status"), NULL);
}

json_t *meeting_rules(struct nrm_ctx *c, json_t *body)
{
	json_t *doc = NULL, *b, *found = NULL;
	size_t i;
	if (case_stored_doc(c->db, "org:bodies", &doc) == 0)
		json_array_foreach(json_object_get(doc, "bodies"), i, b)
			if (strcmp(j_str(b, "kind"), j_str(body, "kind")) == 0)
				found = json_object_get(b, "meetings");
	json_t *r = json_is_object(found) ? json_deep_copy(found) : json_object();
	json_decref(doc);
	/* A database made before the rules were stored counts on the body's frequency alone. */
	if (!json_object_get(r, "basis"))
		json_object_set_new(r, "basis", json_string("interval"));
	if (!json_is_number(json_object_get(r, "quorum_more_than")))
		json_object_set_new(r, "quorum_more_than", json_real(0.5));
	int64_t every = j_int(body, "meeting_every_months");
	json_object_set_new(r, "every_months", every > 0 ? json_integer(every) : json_null());
	return r;
}

void meeting_day_text(const char *day, char out[DATE_LEN])
{
	int32_t d;
	int y, m, dd;
	if (!day || date_parse(day, &d) != 0) {
		snprintf(out, DATE_LEN, "%s", day ? day : "");
		return;
	}
	date_to_ymd(d, &y, &m, &dd);
	snprintf(out, DATE_LEN, "%02d.%02d.%04d", dd, m, y);
}

int meeting_in_time(json_t *in, const char *key, const char **out, struct nrm_err *err)
{
	const char *t;
	int rc = in_str(in, key, false, 5, &t, err);
	if (rc)
		return rc;
	/* Exactly two digits, a colon, two digits: sscanf would also take signs and spaces. */
	if (t && (strlen(t) != 5 || !isdigit((unsigned char)t[0]) || !isdigit((unsigned char)t[1]) || t[2] != ':' ||
		  !isdigit((unsigned char)t[3]) || !isdigit((unsigned char)t[4]) || (t[0] - '0') * 10 + (t[1] - '0') > 23 ||
		  t[3] > '5'))
		return nrm_fail(err, NRM_EINVAL, KEY_time_format, key, NULL);
	*out = t;
	return 0;
}

int meeting_log(struct nrm_ctx *c, int64_t id, const char *action, json_t *before, json_t *after, const char *reason)
{
	int rc = store_meeting_change_add(c->db, id, action, before, after, reason, c->me->id, c->me->username);
	return rc ? rc : secure_audit_id(c->db, c->me, action, "meeting", id, before, after, NULL);
}

/* Reads what describes a meeting (a new one, or a change of m), checked. */
static int describe(json_t *in, json_t *m, struct store_meeting *out, struct nrm_err *err)
{
	static const char *const kinds[] = {"ordinary", "extraordinary", NULL};
	struct store_meeting d = {0};
	int rc;
#define KEEP(k, v) (in_has(in, k) ? (v) : (m ? (json_is_string(json_object_get(m, k)) ? j_str(m, k) : NULL) : NULL))
	const char *date, *time, *end, *kind, *title, *location, *link;
	if ((rc = in_date(in, "date", m == NULL, &date, NULL, err)) || (rc = meeting_in_time(in, "time", &time, err)) ||
	    (rc = meeting_in_time(in, "end_time", &end, err)) || (rc = in_enum(in, "kind", false, kinds, &kind, err)) ||
	    (rc = in_line(in, "title", false, 300, &title, err)) || (rc = in_line(in, "location", false, 300, &location, err)) ||
	    (rc = in_line(in, "link", false, 500, &link, err)))
		return rc;
	d.date = KEEP("date", date);
	d.time = KEEP("time", time);
	d.end_time = KEEP("end_time", end);
	d.kind = KEEP("kind", kind);
	d.title = KEEP("title", title);
	d.location = KEEP("location", location);
	d.link = KEEP("link", link);
#undef KEEP
	if (!d.kind)
		d.kind = "ordinary";
	if (d.link && ((strncmp(d.link, "https://", 8) != 0 && strncmp(d.link, "http://", 7) != 0) ||
		       strpbrk(d.link, " \"<>\\^`{|}")))
		return nrm_fail(err, NRM_EINVAL, KEY_link_invalid, "link", NULL);
	if (d.end_time && !d.time)
		return nrm_fail(err, NRM_EINVAL, KEY_required, "time", NULL);
	if (d.end_time && strcmp(d.end_time, d.time) <= 0)
		return nrm_fail(err, NRM_EINVAL, KEY_end_before_start, "end_time", NULL);
	*out = d;
	return 0;
}

/* Checks the guests given and adds them to the meeting. */
static int add_guests(struct nrm_ctx *c, int64_t id, json_t *body, const char *date, json_t *guests,
		      struct nrm_err *err)
{
	static const char *const fields[] = {"guest", "name", "organisation", "email", NULL};
	if (guests && (!json_is_array(guests) || json_array_size(guests) > 100))
		return nrm_fail(err, NRM_EINVAL, KEY_not_list, "guests", "max", "100", NULL);
	size_t i;
	json_t *g;
	int rc = 0;
	json_array_foreach(guests, i, g) {
		char f[32];
		snprintf(f, sizeof f, "guests.%zu", i);
		int64_t gid = 0, mg;
		const char *name, *org, *email = NULL;
		json_t *known = NULL;
		if (!json_is_object(g))
			return nrm_fail(err, NRM_EINVAL, KEY_not_object, f, NULL);
		if ((rc = in_only(g, fields, err)) || (rc = in_int(g, "guest", false, &gid, err)) ||
		    (rc = in_line(g, "name", gid == 0, 200, &name, err)) ||
		    (rc = in_line(g, "organisation", false, 200, &org, err)) ||
		    (json_object_get(g, "email") && (rc = in_email(g, "email", &email, err))))
			return nrm_err_nest(err, f);
		if (gid) {
			if (store_guest_get(c->db, gid, &known) != 0 || j_int(known, "body") != j_int(body, "id") ||
			    strcmp(j_str(known, "start"), date) > 0 ||
			    (*j_str(known, "end") && strcmp(j_str(known, "end"), date) < 0)) {
				json_decref(known);
				return nrm_fail(err, NRM_EINVAL, KEY_unknown_guest, f, NULL);
			}
			name = j_str(known, "name");
			org = *j_str(known, "organisation") ? j_str(known, "organisation") : org;
		}
		rc = store_meeting_guest_add(c->db, id, gid, name, org, email, &mg);
		json_decref(known);
		if (rc)
			return rc;
	}
	return 0;
}

static void uid_new(char out[64])
{
	unsigned char r[16];
	char hex[33];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(hex, sizeof hex, r, sizeof r);
	snprintf(out, 64, "%s@nrm", hex);
}

int meeting_create(struct nrm_ctx *c, int64_t bid, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"date", "time", "end_time", "kind", "title", "location", "link",
					     "agenda", "guests", NULL};
	json_t *body = NULL, *items = NULL, *proposed = NULL, *row = NULL;
	struct store_meeting d;
	char uid[64];
	int64_t id;
	int rc;
	if ((rc = store_body_get(c->db, bid, &body)))
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_body, NULL, NULL) : rc;
	/* The secretariat of the body organises its meetings (I132 §9, O94 §1.7a). */
	if (meeting_access_of(c, body) != MA_EDIT) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_meetings_by_secretariat, NULL, NULL);
		goto done;
	}
	if ((rc = in_only(in, fields, err)) || (rc = describe(in, NULL, &d, err)) ||
	    (rc = meeting_agenda_check(c, body, in, "agenda", &items, err)))
		goto done;
	uid_new(uid);
	if ((rc = store_begin(c->db)) || (rc = store_meeting_add(c->db, bid, &d, uid, c->me->id, &id)) ||
	    (rc = meeting_agenda_proposed(c, body, d.date, d.time, id, &proposed)))
		goto done;
	json_array_extend(proposed, items);
	if ((rc = store_agenda_replace(c->db, id, proposed)) ||
	    (rc = add_guests(c, id, body, d.date, json_object_get(in, "guests"), err)) ||
	    (rc = store_meeting_get(c->db, id, &row)) || (rc = meeting_log(c, id, "create", NULL, row, NULL)) ||
	    (rc = store_commit(c->db)))
		goto done;
	rc = meeting_get(c, id, out, err);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(body);
	json_decref(items);
	json_decref(proposed);
	json_decref(row);
	return rc;
}

/* The parts of a meeting the Ministry's monitor may not read: case references, and minutes
 * and decisions until the minutes are approved. */
static void for_monitor(json_t *out)
{
	bool approved = strcmp(j_str(out, "minutes_status"), "approved") == 0;
	size_t i;
	json_t *it;
	json_object_set_new(out, "minutes_hidden", json_boolean(!approved));
	/* The history holds agendas, decisions and minutes as they were; materials may name cases;
	 * guests' addresses are theirs. */
	json_object_del(out, "history");
	json_object_del(out, "materials");
	json_array_foreach(json_object_get(out, "guests"), i, it)
		json_object_del(it, "email");
	json_array_foreach(json_object_get(out, "agenda"), i, it) {
		json_object_del(json_object_get(it, "refs"), "cases");
		if (!approved)
			json_object_del(it, "minutes");
	}
	json_array_foreach(json_object_get(out, "decisions"), i, it)
		json_object_del(it, "case_code");
	if (!approved) {
		json_object_set_new(out, "decisions", json_array());
		json_object_del(out, "minutes_summary");
	}
}

int meeting_get(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	json_t *m = NULL, *part = NULL, *seats = NULL, *quorum = NULL;
	enum meeting_access a;
	int rc = meeting_load(c, id, false, &m, &a, err);
	if (rc)
		return rc;
	json_object_del(m, "county_id");
	json_object_del(m, "minutes");
	json_object_set_new(m, "can_edit", json_boolean(a == MA_EDIT));
	if ((rc = store_agenda(c->db, id, &part)))
		goto done;
	json_object_set_new(m, "agenda", part);
	if ((rc = meeting_seats(c, m, &seats, &quorum)))
		goto done;
	json_object_set_new(m, "attendance", seats);
	json_object_set_new(m, "quorum", quorum);
	if ((rc = store_meeting_guests(c->db, id, &part)))
		goto done;
	json_object_set_new(m, "guests", part);
	if ((rc = store_meeting_documents(c->db, id, &part)))
		goto done;
	json_object_set_new(m, "materials", part);
	if ((rc = store_decisions(c->db, id, &part)))
		goto done;
	json_object_set_new(m, "decisions", part);
	if ((rc = store_meeting_changes(c->db, id, &part)))
		goto done;
	json_object_set_new(m, "history", part);
	if (a != MA_MONITOR) {
		if ((rc = store_notices(c->db, id, &part)))
			goto done;
		json_object_set_new(m, "notices", part);
	}
	if (a == MA_MONITOR)
		for_monitor(m);
	*out = m;
	m = NULL;
done:
	json_decref(m);
	return rc;
}

int meeting_list(struct nrm_ctx *c, int64_t body, json_t **out, struct nrm_err *err)
{
	json_t *b;
	int rc = store_body_get(c->db, body, &b);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_body, NULL, NULL) : rc;
	enum meeting_access a = meeting_access_of(c, b);
	json_decref(b);
	if (a == MA_NONE)
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_meeting_forbidden, NULL, NULL);
	json_t *rows;
	if ((rc = store_meetings(c->db, body, &rows)))
		return rc;
	size_t i;
	json_t *m;
	json_array_foreach(rows, i, m) {
		json_object_del(m, "county_id");
		json_object_del(m, "minutes");
		if (a == MA_MONITOR && strcmp(j_str(m, "minutes_status"), "approved") != 0)
			json_object_del(m, "minutes_summary");
	}
	*out = rows;
	return 0;
}

/* The members of a meeting row that a change compares. */
static json_t *shape(json_t *m)
{
	static const char *const keys[] = {"date", "time", "end_time", "kind", "title", "location", "link", NULL};
	return j_pick(m, keys);
}

int meeting_update(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"version", "reason", "date", "time", "end_time", "kind", "title",
					     "location", "link", NULL};
	json_t *m = NULL, *before = NULL, *after = NULL, *row = NULL;
	struct store_meeting d;
	const char *reason;
	int64_t version;
	int rc;
	if ((rc = meeting_load(c, id, true, &m, NULL, err)) || (rc = in_only(in, fields, err)) ||
	    (rc = in_int(in, "version", true, &version, err)) || (rc = in_str(in, "reason", false, 1000, &reason, err)) ||
	    (rc = meeting_require(m, "scheduled", err)) || (rc = describe(in, m, &d, err)))
		goto done;
	if (version != j_int(m, "version")) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_stale, "version", NULL);
		goto done;
	}
	before = shape(m);
	if ((rc = store_begin(c->db)))
		goto done;
	/* The version is checked again in the transaction: a change made meanwhile is not lost. */
	if ((rc = store_meeting_update(c->db, id, version, &d, 1)) == NRM_ECONFLICT)
		rc = nrm_fail(err, rc, KEY_stale, "version", NULL);
	if (rc || (rc = store_meeting_get(c->db, id, &row)))
		goto done;
	after = shape(row);
	if (json_equal(before, after)) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_nothing_to_change, NULL, NULL);
		goto done;
	}
	/* A new day, time or place is a reschedule, which the members must hear of. */
	bool moved = false;
	static const char *const where[] = {"date", "time", "end_time", "location", "link", NULL};
	for (const char *const *k = where; *k; k++)
		moved |= !json_equal(json_object_get(before, *k), json_object_get(after, *k));
	bool noticed = false;
	if ((rc = meeting_log(c, id, moved ? "reschedule" : "update", before, after, reason)) ||
	    (rc = meeting_noticed(c, id, &noticed)) || (moved && noticed && (rc = meeting_notify(c, id, "reschedule", NULL))) ||
	    (rc = store_commit(c->db)))
		goto done;
	if (moved && noticed && c->mail_from)
		mail_worker_wake();
	rc = meeting_get(c, id, out, err);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(m);
	json_decref(before);
	json_decref(after);
	json_decref(row);
	return rc;
}

int meeting_cancel(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"reason", NULL};
	json_t *m = NULL;
	const char *reason;
	int rc;
	if ((rc = meeting_load(c, id, true, &m, NULL, err)) || (rc = in_only(in, fields, err)) ||
	    (rc = in_str(in, "reason", true, 1000, &reason, err)) || (rc = meeting_require(m, "scheduled", err)))
		goto done;
	bool noticed = false;
	if ((rc = store_begin(c->db)) || (rc = store_meeting_set_status(c->db, id, "cancelled", reason)) ||
	    (rc = meeting_log(c, id, "cancel", NULL, NULL, reason)) || (rc = meeting_noticed(c, id, &noticed)) ||
	    (noticed && (rc = meeting_notify(c, id, "cancel", NULL))) || (rc = store_commit(c->db)))
		goto done;
	if (noticed && c->mail_from)
		mail_worker_wake();
	rc = meeting_get(c, id, out, err);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(m);
	return rc;
}

/* A calendar entry: the body and the meeting's title, the agenda's titles — never a case
 * reference, whoever subscribes. */
json_t *meeting_event(struct nrm_ctx *c, json_t *m, json_t *agenda)
{
	const char *lang = c->me->lang[0] ? c->me->lang : "sq";
	const char *bname = strcmp(lang, "en") == 0 ? j_str(m, "body_name_en") : j_str(m, "body_name");
	const char *title = *j_str(m, "title") ? j_str(m, "title")
					       : labels_get(c->labels, "meeting_kind", j_str(m, "kind"), lang);
	char summary[700];
	snprintf(summary, sizeof summary, "%s: %s", bname, title);
	struct buf desc = {0};
	size_t i;
	json_t *it;
	json_array_foreach(agenda, i, it)
		buf_printf(&desc, "%s%zu. %s", i ? "\n" : "", i + 1, j_str(it, "title"));
	char *d = buf_take(&desc);
	json_t *e = json_pack("{s:s, s:I, s:s, s:s, s:O?, s:O?, s:s, s:O?, s:O?, s:s?, s:s}", "uid", j_str(m, "uid"),
			      "sequence", (json_int_t)j_int(m, "sequence"), "status", j_str(m, "status"), "date",
			      j_str(m, "date"), "time", json_object_get(m, "time"), "end_time",
			      json_object_get(m, "end_time"), "summary", summary, "location", json_object_get(m, "location"),
			      "link", json_object_get(m, "link"), "description", d, "stamp", j_str(m, "updated_at"));
	free(d);
	return e;
}

int meeting_ics_get(struct nrm_ctx *c, int64_t id, char **out, struct nrm_err *err)
{
	json_t *m = NULL, *agenda = NULL, *events = NULL;
	int rc = meeting_load(c, id, false, &m, NULL, err);
	if (rc || (rc = store_agenda(c->db, id, &agenda)))
		goto done;
	events = json_array();
	json_array_append_new(events, meeting_event(c, m, agenda));
	/* What the store holds is checked on the way in: a refusal here is a defect, said as such. */
	if ((rc = meeting_ics(events, j_str(m, "body_name"), out)) == NRM_EINVAL)
		rc = nrm_fail(err, NRM_EIO, KEY_internal, NULL, NULL);
done:
	json_decref(m);
	json_decref(agenda);
	json_decref(events);
	return rc;
}
