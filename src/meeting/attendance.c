/* Attendance and quorum: each seat present, represented (by whom, on what authority), absent
 * with or without notice; the guests who came; and whether the meeting has its quorum under
 * the body's rule (data/org/bodies.json: "quorum_more_than" of the members, or of the seats
 * with "quorum_of": "seats"). */
#include "meeting/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/input.h"
#include "store/meeting.h"
#include "store/org.h"

int meeting_seats(struct nrm_ctx *c, json_t *m, json_t **seats, json_t **quorum)
{
	json_t *rows = NULL, *att = NULL, *body = NULL, *rules = NULL, *s, *a;
	size_t i, j;
	int rc;
	if ((rc = store_body_get(c->db, j_int(m, "body"), &body)) ||
	    (rc = store_seats(c->db, j_int(m, "body"), 0, 0, j_str(m, "date"), &rows)) ||
	    (rc = store_attendance(c->db, j_int(m, "id"), &att)))
		goto done;
	rules = meeting_rules(c, body);
	json_t *out = json_array();
	int present = 0, represented = 0, members = 0;
	/* The quorum counts the members — the seats someone holds on the meeting's day — unless the
	 * body's rule counts every seat ("quorum_of": "seats"). */
	bool of_seats = strcmp(j_str(rules, "quorum_of"), "seats") == 0;
	json_array_foreach(rows, i, s) {
		json_t *member = json_object_get(s, "member"), *mine = NULL;
		json_array_foreach(att, j, a)
			if (j_int(a, "seat") == j_int(s, "id"))
				mine = a;
		const char *status = mine ? j_str(mine, "status") : NULL;
		bool counts = of_seats || json_is_object(member);
		members += counts;
		present += counts && status && strcmp(status, "present") == 0;
		represented += counts && status && strcmp(status, "represented") == 0;
		/* The member of the day the attendance was taken, or of the meeting's day. */
		const char *who = mine && *j_str(mine, "member") ? j_str(mine, "member")
			       : json_is_object(member)      ? j_str(member, "name")
							     : NULL;
		json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:{s:s, s:s}, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "seat",
						     (json_int_t)j_int(s, "id"), "code", j_str(s, "code"), "role",
						     j_str(s, "role"), "label", "sq", j_str(s, "label_sq"), "en",
						     j_str(s, "label_en"), "institution",
						     *j_str(s, "institution_name") ? j_str(s, "institution_name") : NULL,
						     "institution_type",
						     *j_str(s, "institution_type") ? j_str(s, "institution_type") : NULL,
						     "member", who, "status", status,
						     "substitute", mine && *j_str(mine, "substitute") ? j_str(mine, "substitute") : NULL,
						     "authorisation",
						     mine && *j_str(mine, "authorisation") ? j_str(mine, "authorisation") : NULL));
	}
	double share = json_number_value(json_object_get(rules, "quorum_more_than"));
	int total = (int)json_array_size(rows), required = (int)floor(members * share) + 1;
	*seats = out;
	*quorum = json_pack("{s:i, s:i, s:s, s:i, s:i, s:i, s:b, s:b}", "seats", total, "members", members, "of",
			    of_seats ? "seats" : "members", "present", present, "represented", represented, "required",
			    required, "held", members > 0 && present + represented >= required, "recorded",
			    json_array_size(att) > 0);
done:
	json_decref(rows);
	json_decref(att);
	json_decref(body);
	json_decref(rules);
	return rc;
}

int meeting_attendance_summary(struct nrm_ctx *c, int64_t body, const char *first, const char *last, json_t **out)
{
	json_t *ms = NULL, *m, *by = json_object();
	int held = 0, quorate = 0;
	size_t i, j;
	int rc = store_meetings(c->db, body, &ms);
	json_array_foreach(ms, i, m) {
		if (rc)
			break;
		const char *day = j_str(m, "date");
		if (strcmp(j_str(m, "status"), "held") != 0 || strcmp(day, first) < 0 || strcmp(day, last) > 0)
			continue;
		json_t *seats = NULL, *quorum = NULL, *s;
		if ((rc = meeting_seats(c, m, &seats, &quorum)))
			break;
		held++;
		quorate += json_is_true(json_object_get(quorum, "held"));
		json_array_foreach(seats, j, s) {
			if (!json_is_string(json_object_get(s, "member")))
				continue;
			const char *type = *j_str(s, "institution_type") ? j_str(s, "institution_type") : "other";
			json_t *t = json_object_get(by, type);
			if (!t) {
				t = json_pack("{s:i, s:i}", "expected", 0, "attended", 0);
				json_object_set_new(by, type, t);
			}
			const char *st = j_str(s, "status");
			json_object_set_new(t, "expected", json_integer(j_int(t, "expected") + 1));
			json_object_set_new(t, "attended", json_integer(j_int(t, "attended") + (strcmp(st, "present") == 0 ||
												   strcmp(st, "represented") == 0)));
		}
		json_decref(seats);
		json_decref(quorum);
	}
	json_decref(ms);
	if (rc) {
		json_decref(by);
		return rc;
	}
	*out = json_pack("{s:i, s:i, s:o}", "held", held, "quorate", quorate, "by_type", by);
	return 0;
}

/* Checks one seat's attendance and writes it. */
static int seat_set(struct nrm_ctx *c, json_t *m, json_t *seats, json_t *e, size_t i, struct nrm_err *err)
{
	static const char *const fields[] = {"seat", "status", "substitute", "authorisation", NULL};
	static const char *const states[] = {"present", "represented", "excused", "absent", NULL};
	char f[32];
	const char *status, *sub, *auth;
	int64_t seat;
	int rc;
	snprintf(f, sizeof f, "seats.%zu", i);
	if (!json_is_object(e))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, f, NULL);
	if ((rc = in_only(e, fields, err)) || (rc = in_int(e, "seat", true, &seat, err)) ||
	    (rc = in_enum(e, "status", true, states, &status, err)) ||
	    (rc = in_line(e, "substitute", false, 200, &sub, err)) ||
	    (rc = in_line(e, "authorisation", false, 300, &auth, err)))
		return nrm_err_nest(err, f);
	json_t *s, *mine = NULL;
	size_t j;
	json_array_foreach(seats, j, s)
		if (j_int(s, "seat") == seat)
			mine = s;
	if (!mine)
		return nrm_fail(err, NRM_EINVAL, KEY_seat_not_of_body, f, NULL);
	bool rep = strcmp(status, "represented") == 0;
	/* A substitute acts on a written authorisation (O94 §1.2: the institution names them). */
	if (rep && (!sub || !auth))
		return nrm_fail(err, NRM_EINVAL, KEY_substitute_required, f, NULL);
	return store_attendance_set(c->db, j_int(m, "id"), seat, status, j_str(mine, "member")[0] ? j_str(mine, "member") : NULL,
				    rep ? sub : NULL, rep ? auth : NULL);
}

static int guest_set(struct nrm_ctx *c, int64_t id, json_t *e, size_t i, struct nrm_err *err)
{
	static const char *const fields[] = {"id", "attended", NULL};
	char f[32];
	int64_t gid;
	int attended = -1, rc;
	snprintf(f, sizeof f, "guests.%zu", i);
	if (!json_is_object(e))
		return nrm_fail(err, NRM_EINVAL, KEY_not_object, f, NULL);
	if ((rc = in_only(e, fields, err)) || (rc = in_int(e, "id", true, &gid, err)) ||
	    (rc = in_bool(e, "attended", &attended, err)))
		return nrm_err_nest(err, f);
	rc = store_meeting_guest_attended(c->db, id, gid, attended);
	return rc == NRM_ENOTFOUND ? nrm_fail(err, NRM_EINVAL, KEY_unknown_guest, f, NULL) : rc;
}

int meeting_attendance_set(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"seats", "guests", NULL};
	json_t *m = NULL, *seats = NULL, *quorum = NULL, *before = NULL, *after = NULL, *e;
	json_t *list = json_object_get(in, "seats"), *guests = json_object_get(in, "guests");
	size_t i;
	int32_t day;
	int rc;
	if ((rc = meeting_load(c, id, true, &m, NULL, err)) || (rc = in_only(in, fields, err)))
		goto done;
	if (strcmp(j_str(m, "status"), "cancelled") == 0) {
		rc = meeting_require(m, "held", err);
		goto done;
	}
	if (strcmp(j_str(m, "minutes_status"), "approved") == 0) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_minutes_frozen, NULL, NULL);
		goto done;
	}
	/* Attendance is taken at the meeting, not before it. */
	if (date_parse(j_str(m, "date"), &day) != 0 || day > c->today) {
		rc = nrm_fail(err, NRM_ECONFLICT, KEY_meeting_not_yet, "seats", "date", j_str(m, "date"), NULL);
		goto done;
	}
	if ((list && !json_is_array(list)) || json_array_size(list) > 200) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_not_list, "seats", "max", "200", NULL);
		goto done;
	}
	if ((guests && !json_is_array(guests)) || json_array_size(guests) > 200) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_not_list, "guests", "max", "200", NULL);
		goto done;
	}
	if ((rc = meeting_seats(c, m, &seats, &quorum)) || (rc = store_attendance(c->db, id, &before)) ||
	    (rc = store_begin(c->db)))
		goto done;
	json_array_foreach(list, i, e)
		if ((rc = seat_set(c, m, seats, e, i, err)))
			goto done;
	json_array_foreach(guests, i, e)
		if ((rc = guest_set(c, id, e, i, err)))
			goto done;
	/* Held once someone's attendance is recorded. */
	if ((rc = store_attendance(c->db, id, &after)) ||
	    (strcmp(j_str(m, "status"), "scheduled") == 0 && json_array_size(after) &&
	     (rc = store_meeting_set_status(c->db, id, "held", NULL))) ||
	    (rc = meeting_log(c, id, "attendance", before, after, NULL)) || (rc = store_commit(c->db)))
		goto done;
	rc = meeting_get(c, id, out, err);
done:
	if (rc)
		store_rollback(c->db);
	json_decref(m);
	json_decref(seats);
	json_decref(quorum);
	json_decref(before);
	json_decref(after);
	return rc;
}
