/* The data-protection officer's search of a person's cases: the terms are hashed with the
 * key of the case registry's blind indexes and matched against them, so no case is opened
 * and the terms are kept nowhere; each case found comes with who read its personal data. */
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "oversight/internal.h"
#include "secure/audit.h"
#include "secure/crypt.h"
#include "store/audit.h"
#include "store/case.h"

/* How many reads of each case the answer lists (newest first; reads_count counts them all). */
#define READS_SHOWN 50

static const char *const CASE_KEYS[] = {"code", "county", "stage", "status", "holder", "holder_name",
					"identified_on", "merged_into", NULL};

/* The case's non-personal facts and the reads of its personal data (a new object). */
static int found(struct nrm_ctx *c, json_t *rules, const char *actions, json_t *row, json_t **out)
{
	json_t *reads = NULL, *shown = json_array(), *r;
	int rc = store_audit_of_case(c->db, j_str(row, "code"), actions, 10000, &reads);
	if (rc) {
		json_decref(shown);
		return rc;
	}
	json_int_t n = 0;
	size_t i;
	json_array_foreach(reads, i, r) {
		if (!ov_read_personal(rules, r))
			continue;
		if (n++ < READS_SHOWN) {
			json_t *fields = json_object_get(json_object_get(r, "after"), "fields");
			json_array_append_new(shown, json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "ts", json_object_get(r, "ts"),
							       "username", json_object_get(r, "username"), "name",
							       json_object_get(r, "name"), "role", json_object_get(r, "role"),
							       "action", json_object_get(r, "action"), "fields",
							       json_is_array(fields) ? fields : json_null()));
		}
	}
	json_decref(reads);
	json_t *o = j_pick(row, CASE_KEYS);
	json_object_set_new(o, "reads", shown);
	json_object_set_new(o, "reads_count", json_integer(n));
	*out = o;
	return 0;
}

int oversight_search(struct nrm_ctx *c, json_t *q, json_t **out, struct nrm_err *err)
{
	static const char *const allowed[] = {"first_name", "last_name", "birthdate", "document", NULL};
	const char *first = NULL, *last = NULL, *birth = NULL, *doc = NULL;
	if (!ov_officer(c, err))
		return NRM_EFORBIDDEN;
	int rc;
	if ((rc = in_only(q, allowed, err)) || (rc = in_line(q, "first_name", false, 200, &first, err)) ||
	    (rc = in_line(q, "last_name", false, 200, &last, err)) || (rc = in_date(q, "birthdate", false, &birth, NULL, err)) ||
	    (rc = in_line(q, "document", false, 200, &doc, err)))
		return rc;
	char *h = NULL;
	const char *by = doc ? "document" : birth ? "name_dob" : "name";
	if (doc) {
		rc = case_blind_query(c, "document", &doc, 1, &h);
	} else if (first && last) {
		const char *parts[] = {first, last, birth};
		rc = case_blind_query(c, by, parts, birth ? 3 : 2, &h);
	} else {
		return nrm_fail(err, NRM_EINVAL, KEY_search_terms, first ? "last_name" : "first_name", NULL);
	}
	if (rc)
		return nrm_fail(err, NRM_EINVAL, KEY_search_empty, doc ? "document" : "first_name", NULL);
	json_t *rules = NULL, *hits = NULL, *items = json_array(), *after = NULL, *r, *row;
	char *actions = NULL;
	if ((rc = ov_rules(c, &rules, err)) || (rc = store_blind_find(c->db, h, &hits)))
		goto done;
	if (!(actions = ov_read_actions(rules))) {
		rc = NRM_ENOMEM;
		goto done;
	}
	size_t i;
	json_array_foreach(hits, i, r) {
		json_t *one;
		if ((rc = store_case_get(c->db, NULL, j_int(r, "id"), &row)))
			goto done;
		rc = found(c, rules, actions, row, &one);
		json_decref(row);
		if (rc)
			goto done;
		json_array_append_new(items, one);
	}
	/* The fact of the search and its count: the terms are a person's data and stay out. */
	after = json_pack("{s:s, s:I}", "by", by, "results", (json_int_t)json_array_size(items));
	if ((rc = store_begin(c->db)) ||
	    (rc = secure_audit(c->db, c->me, "search_personal", "case", NULL, NULL, after, NULL)) ||
	    (rc = store_commit(c->db)))
		goto done;
	*out = json_pack("{s:O, s:I, s:n}", "items", items, "count", (json_int_t)json_array_size(items), "next");
done:
	if (rc)
		store_rollback(c->db);
	free(actions);
	free(h);
	json_decref(after);
	json_decref(items);
	json_decref(hits);
	json_decref(rules);
	return rc;
}
