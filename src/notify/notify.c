/* Notifications (notify/notify.h). */
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "core/input.h"
#include "core/labels.h"
#include "mail/mail.h"
#include "notify/notify.h"
#include "store/notice.h"

/* Queues the e-mail of notification `id` for a user with an address: the kind of thing that
 * awaits them, in their language, and nothing of it. */
static int mail_one(struct nrm_ctx *c, json_t *u, int64_t id, const char *kind)
{
	const char *to = j_str(u, "email"), *lang = j_str(u, "lang");
	if (!c->mail_from || !*to || !c->labels)
		return 0;
	const char *subject = labels_get(c->labels, "notify_subject", kind, lang);
	const char *text = labels_get(c->labels, "notify_text", kind, lang);
	char *msg = NULL;
	int64_t mid;
	int rc = mail_compose(c->mail_from, to, subject, text, NULL, &msg);
	if (rc == NRM_EINVAL)
		return 0; /* an address nrm cannot write to is not a reason to refuse the change */
	if (!rc)
		rc = store_mail_queue(c->db, 0, id, to, subject, msg, &mid);
	free(msg);
	return rc;
}

int notify_users(struct nrm_ctx *c, json_t *users, int64_t except, const struct notify_msg *m)
{
	size_t i, k;
	json_t *u, *v;
	int rc = 0;
	json_array_foreach(users, i, u) {
		int64_t uid = j_int(u, "id"), id = 0;
		bool seen = uid == except;
		for (k = 0; k < i && !seen; k++) {
			v = json_array_get(users, k);
			seen = j_int(v, "id") == uid;
		}
		if (seen)
			continue;
		if ((rc = store_notification_add(c->db, uid, m->kind, m->entity, m->entity_id, m->params, m->dedup, &id)))
			break;
		if (id && (rc = mail_one(c, u, id, m->kind)))
			break;
	}
	return rc;
}

static int tell(struct nrm_ctx *c, int rc, json_t *users, const struct notify_msg *m)
{
	if (!rc)
		rc = notify_users(c, users, c->me ? c->me->id : 0, m);
	json_decref(users);
	return rc;
}

int notify_institution(struct nrm_ctx *c, int64_t institution, const struct notify_msg *m)
{
	json_t *users = NULL;
	int rc = store_users_of_institution(c->db, institution, &users);
	return tell(c, rc, users, m);
}

int notify_roles(struct nrm_ctx *c, const char *const *roles, int64_t county, const struct notify_msg *m)
{
	json_t *list = json_array(), *users = NULL;
	for (; *roles; roles++)
		json_array_append_new(list, json_string(*roles));
	int rc = store_users_of_roles(c->db, list, county, &users);
	json_decref(list);
	return tell(c, rc, users, m);
}

int notify_person(struct nrm_ctx *c, int64_t person, const struct notify_msg *m)
{
	json_t *users = NULL;
	int rc = person ? store_users_of_person(c->db, person, &users) : 0;
	return person ? tell(c, rc, users, m) : 0;
}

int notify_read_all(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	(void)err;
	int n = 0, rc = store_begin(c->db);
	if (!rc && !(rc = store_notifications_read_all(c->db, c->me->id, &n)))
		rc = store_commit(c->db);
	if (rc) {
		store_rollback(c->db);
		return rc;
	}
	*out = json_pack("{s:i}", "read", n);
	return 0;
}
