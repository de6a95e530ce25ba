/* Notice and correspondence (O94 §1.7a; I132 §9): sending a meeting's notice records who was
 * told, when and how — inside nrm for the users of the body, by e-mail (when an SMTP server is
 * set) or by letter for the members and guests — under a number of the body's correspondence
 * register; a reschedule or a cancellation of a noticed meeting is noticed the same way. A
 * notice names the body, the day, the place and the agenda's titles: never a case. */
#include "meeting/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/input.h"
#include "core/labels.h"
#include "mail/mail.h"
#include "meeting/ics.h"
#include "secure/audit.h"
#include "store/meeting.h"
#include "store/notice.h"
#include "store/org.h"

/* The subject and text of a notice of `kind` in Albanian. */
static int notice_text(json_t *m, json_t *agenda, const char *kind, const char *reference, char **subject,
		       char **text)
{
	char when[DATE_LEN];
	meeting_day_text(j_str(m, "date"), when);
	const char *what = strcmp(kind, "cancel") == 0	     ? "Anulohet mbledhja"
			   : strcmp(kind, "reschedule") == 0 ? "Ndryshim i mbledhjes"
							     : "Njoftim për mbledhjen";
	struct buf s = {0}, t = {0};
	int rc = buf_printf(&s, "%s: %s, %s", what, j_str(m, "body_name"), when);
	rc = rc || buf_printf(&t, "%s\n\nOrgani: %s\nData: %s%s%s\n", what, j_str(m, "body_name"), when,
			      *j_str(m, "time") ? ", ora " : "", j_str(m, "time"));
	if (*j_str(m, "location"))
		rc = rc || buf_printf(&t, "Vendi: %s\n", j_str(m, "location"));
	if (*j_str(m, "link"))
		rc = rc || buf_printf(&t, "Lidhja: %s\n", j_str(m, "link"));
	if (strcmp(kind, "cancel") == 0 && *j_str(m, "cancel_reason"))
		rc = rc || buf_printf(&t, "Arsyeja: %s\n", j_str(m, "cancel_reason"));
	if (strcmp(kind, "cancel") != 0 && json_array_size(agenda)) {
		rc = rc || buf_puts(&t, "\nRendi i ditës:\n");
		size_t i;
		json_t *it;
		json_array_foreach(agenda, i, it)
			rc = rc || buf_printf(&t, "%zu. %s\n", i + 1, j_str(it, "title"));
	}
	rc = rc || buf_printf(&t, "\nNr. %s i regjistrit të korrespondencës.\n"
				  "Ky njoftim u dërgua nga nrm, sistemi i Mekanizmit Kombëtar të Referimit.\n",
			      reference);
	if (rc) {
		buf_free(&s);
		buf_free(&t);
		return NRM_ENOMEM;
	}
	*subject = buf_take(&s);
	*text = buf_take(&t);
	return 0;
}

/* Who hears of the meeting: the members of its seats and its guests (by e-mail, or a letter the
 * secretariat delivers), and the users of the body inside nrm. */
static int tell(struct nrm_ctx *c, json_t *m, const char *kind, int64_t letter, const char *reference,
		const char *subject, const char *text, const char *ics)
{
	json_t *seats = NULL, *guests = NULL, *body = NULL, *rules = NULL, *users = NULL, *x;
	size_t i;
	int64_t id = j_int(m, "id"), nid, mid;
	int rc;
	if ((rc = store_seats(c->db, j_int(m, "body"), 0, 0, j_str(m, "date"), &seats)) ||
	    (rc = store_meeting_guests(c->db, id, &guests)) || (rc = store_body_get(c->db, j_int(m, "body"), &body)))
		goto done;
	json_t *people = json_array();
	json_array_foreach(seats, i, x) {
		json_t *mem = json_object_get(x, "member");
		if (json_is_object(mem))
			json_array_append_new(people, json_pack("{s:s, s:I, s:I, s:s}", "name", j_str(mem, "name"), "seat",
								(json_int_t)j_int(x, "id"), "guest", (json_int_t)0, "email",
								j_str(mem, "email")));
	}
	json_array_foreach(guests, i, x)
		json_array_append_new(people, json_pack("{s:s, s:I, s:I, s:s}", "name", j_str(x, "name"), "seat",
							(json_int_t)0, "guest", (json_int_t)j_int(x, "id"), "email",
							j_str(x, "email")));
	json_array_foreach(people, i, x) {
		const char *email = j_str(x, "email");
		bool mail = c->mail_from && *email;
		struct store_notice n = {.meeting = id, .letter = letter, .kind = kind, .recipient = j_str(x, "name"),
					 .seat = j_int(x, "seat"), .guest = j_int(x, "guest"),
					 .channel = mail ? "email" : "letter", .address = mail ? email : NULL,
					 .status = mail ? "queued" : "to_deliver"};
		char *msg = NULL;
		if ((rc = store_notice_add(c->db, &n, &nid)))
			break;
		if (mail && (rc = mail_compose(c->mail_from, email, subject, text, ics, &msg)) == 0)
			rc = store_mail_queue(c->db, nid, 0, email, subject, msg, &mid);
		free(msg);
		if (rc)
			break;
	}
	json_decref(people);
	if (rc)
		goto done;
	rules = meeting_rules(c, body);
	json_t *roles = json_object_get(rules, "notify_roles");
	if (json_is_array(roles) && (rc = store_users_of_roles(c->db, roles, j_int(body, "county_id"), &users)))
		goto done;
	json_array_foreach(users, i, x) {
		struct store_notice n = {.meeting = id, .letter = letter, .kind = kind, .recipient = j_str(x, "username"),
					 .user = j_int(x, "id"), .channel = "app", .status = "delivered"};
		json_t *p = json_pack("{s:s, s:s, s:s?, s:s, s:s}", "body", j_str(m, "body_name"), "date", j_str(m, "date"),
				      "time", *j_str(m, "time") ? j_str(m, "time") : NULL, "kind", kind, "reference",
				      reference);
		rc = store_notice_add(c->db, &n, &nid);
		if (!rc)
			rc = store_notification_add(c->db, j_int(x, "id"), kind, "meeting", id, p, NULL, &nid);
		json_decref(p);
		if (rc)
			break;
	}
done:
	json_decref(seats);
	json_decref(guests);
	json_decref(body);
	json_decref(rules);
	json_decref(users);
	return rc;
}

int meeting_notify(struct nrm_ctx *c, int64_t id, const char *kind, json_t **out)
{
	json_t *m = NULL, *agenda = NULL, *events = NULL, *letter = NULL;
	char *subject = NULL, *text = NULL, *ics = NULL;
	char today[DATE_LEN];
	int64_t lid;
	int rc;
	date_format(c->today, today);
	if ((rc = store_meeting_get(c->db, id, &m)) || (rc = store_agenda(c->db, id, &agenda)))
		goto done;
	char subject_sq[120], when[DATE_LEN];
	meeting_day_text(j_str(m, "date"), when);
	snprintf(subject_sq, sizeof subject_sq, "%s i mbledhjes së datës %s",
		 strcmp(kind, "cancel") == 0 ? "Anulimi" : strcmp(kind, "reschedule") == 0 ? "Ndryshimi" : "Njoftimi", when);
	struct store_letter l = {.body = j_int(m, "body"), .meeting = id, .direction = "out", .day = today,
				 .party = "Anëtarët e organit dhe të ftuarit", .subject = subject_sq};
	if ((rc = store_letter_add(c->db, &l, c->me->id, &lid)) || (rc = store_letter_get(c->db, lid, &letter)))
		goto done;
	events = json_array();
	json_array_append_new(events, meeting_event(c, m, agenda));
	if ((rc = notice_text(m, agenda, kind, j_str(letter, "reference"), &subject, &text)) ||
	    (rc = meeting_ics(events, j_str(m, "body_name"), &ics)) ||
	    (rc = tell(c, m, kind, lid, j_str(letter, "reference"), subject, text, ics)) ||
	    (rc = secure_audit_id(c->db, c->me, kind, "meeting", id, NULL, letter, NULL)))
		goto done;
	if (out)
		*out = json_pack("{s:s, s:I}", "number", j_str(letter, "reference"), "letter", (json_int_t)lid);
done:
	json_decref(m);
	json_decref(agenda);
	json_decref(events);
	json_decref(letter);
	free(subject);
	free(text);
	free(ics);
	return rc;
}

int meeting_noticed(struct nrm_ctx *c, int64_t id, bool *yes)
{
	json_t *n;
	int rc = store_notices(c->db, id, &n);
	if (rc)
		return rc;
	*yes = json_array_size(n) > 0;
	json_decref(n);
	return 0;
}

int meeting_notice(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {NULL};
	json_t *m = NULL, *res = NULL, *notices = NULL;
	int rc;
	if ((rc = meeting_load(c, id, true, &m, NULL, err)) || (rc = in_only(in, fields, err)) ||
	    (rc = meeting_require(m, "scheduled", err)))
		goto done;
	if ((rc = store_begin(c->db)) || (rc = meeting_notify(c, id, "notice", &res)) ||
	    (rc = store_meeting_change_add(c->db, id, "notice", NULL, res, NULL, c->me->id, c->me->username)) ||
	    (rc = store_commit(c->db)))
		goto done;
	if (c->mail_from)
		mail_worker_wake();
	if ((rc = store_notices(c->db, id, &notices)))
		goto done;
	json_object_set(res, "notices", notices);
	*out = res;
	res = NULL;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(m);
	json_decref(res);
	json_decref(notices);
	return rc;
}

/* ---- the correspondence register ---- */

static int body_for(struct nrm_ctx *c, int64_t id, bool edit, json_t **out, struct nrm_err *err)
{
	json_t *b;
	int rc = store_body_get(c->db, id, &b);
	if (rc)
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_such_body, NULL, NULL) : rc;
	/* The register holds the names of the parties: the body's secretariat and members read it
	 * (a county's register is not the Authority's to read). */
	enum meeting_access a;
	if (!(rc = meeting_allowed(c, b, edit, false, &a, err)) && a == MA_READ && j_int(b, "county_id") &&
	    role_scope(c->me->role) == SCOPE_NATIONAL)
		rc = nrm_fail(err, NRM_EFORBIDDEN, KEY_meeting_forbidden, NULL, NULL);
	if (rc) {
		json_decref(b);
		return rc;
	}
	*out = b;
	return 0;
}

int meeting_letters(struct nrm_ctx *c, int64_t body, const char *q, const char *year, json_t **out,
		    struct nrm_err *err)
{
	json_t *b;
	int rc = body_for(c, body, false, &b, err);
	if (rc)
		return rc;
	json_decref(b);
	char *end = NULL;
	long y = year && *year ? strtol(year, &end, 10) : 0;
	if (year && *year && (*end || y < 1990 || y > 2200))
		return nrm_fail(err, NRM_EINVAL, KEY_out_of_range, "year", NULL);
	if (q && strlen(q) > 200)
		return nrm_fail(err, NRM_EINVAL, KEY_too_long, "q", "max", "200", NULL);
	json_t *rows;
	if ((rc = store_letters(c->db, body, q && *q ? q : NULL, (int)y, &rows)))
		return rc;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		json_object_del(r, "county_id");
	*out = rows;
	return 0;
}

int meeting_letter_create(struct nrm_ctx *c, int64_t body, json_t *in, json_t **out, struct nrm_err *err)
{
	static const char *const fields[] = {"direction", "day", "party", "subject", "meeting", NULL};
	static const char *const dirs[] = {"out", "in", NULL};
	json_t *b = NULL, *m = NULL, *row = NULL;
	struct store_letter l = {.body = body};
	int64_t id;
	int32_t day;
	int rc;
	if ((rc = body_for(c, body, true, &b, err)) || (rc = in_only(in, fields, err)) ||
	    (rc = in_enum(in, "direction", true, dirs, &l.direction, err)) ||
	    (rc = in_date(in, "day", true, &l.day, &day, err)) || (rc = in_line(in, "party", true, 300, &l.party, err)) ||
	    (rc = in_line(in, "subject", true, 500, &l.subject, err)) || (rc = in_int(in, "meeting", false, &l.meeting, err)))
		goto done;
	if (day > c->today) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_date_in_future, "day", NULL);
		goto done;
	}
	if (l.meeting && (store_meeting_get(c->db, l.meeting, &m) != 0 || j_int(m, "body") != body)) {
		rc = nrm_fail(err, NRM_EINVAL, KEY_unknown_ref, "meeting", "kind", "meeting", NULL);
		goto done;
	}
	if ((rc = store_begin(c->db)) || (rc = store_letter_add(c->db, &l, c->me->id, &id)) ||
	    (rc = store_letter_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "create", "letter", id, NULL, row, NULL)) || (rc = store_commit(c->db)))
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

/* ---- notifications inside nrm ---- */

int meeting_notifications(struct nrm_ctx *c, int unread, json_t **out, struct nrm_err *err)
{
	(void)err;
	return store_notifications(c->db, c->me->id, unread, 200, out);
}

int meeting_notification_read(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err)
{
	int rc = store_begin(c->db);
	if (!rc)
		rc = store_notification_read(c->db, c->me->id, id);
	if (!rc)
		rc = store_commit(c->db);
	if (rc) {
		store_rollback(c->db);
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_not_found, NULL, NULL) : rc;
	}
	*out = json_pack("{s:I, s:b}", "id", (json_int_t)id, "read", 1);
	return 0;
}
