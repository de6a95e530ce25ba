/* Who sees and changes the registers' entries (DESIGN.md, data protection model). A register
 * with personal fields is read by the county's bodies (its non-personal part) and by the
 * institution that holds each entry; the others by everyone who works in the mechanism, a
 * county's people seeing their county's entries and the national ones. */
#include <string.h>

#include "core/date.h"
#include "core/period.h"
#include "prevention/internal.h"
#include "store/org.h"

bool reg_role_reads(struct nrm_ctx *c, const struct reg_def *d)
{
	enum role r = c->me->role;
	if (r == ROLE_ADMIN || r == ROLE_DPO)
		return false;
	if (d->personal)
		return role_scope(r) == SCOPE_COUNTY || r == ROLE_CASEWORKER;
	return true;
}

bool reg_may_read(struct nrm_ctx *c, const struct reg_def *d, json_t *row)
{
	const struct principal *p = c->me;
	if (!reg_role_reads(c, d))
		return false;
	int64_t county = j_int(row, "county_id");
	if (d->personal && p->role == ROLE_CASEWORKER)
		return p->institution_id && j_int(row, "holder") == p->institution_id;
	if (role_scope(p->role) == SCOPE_NATIONAL)
		return true;
	return county == 0 || county == p->county_id;
}

static bool writes(const struct reg_def *d, enum role r)
{
	return j_has(json_object_get(d->doc, "write"), role_name(r));
}

bool reg_may_write(struct nrm_ctx *c, const struct reg_def *d, int64_t county)
{
	const struct principal *p = c->me;
	if (!writes(d, p->role))
		return false;
	if (p->role == ROLE_CASEWORKER)
		return p->institution_id && county && county == p->county_id;
	if (role_scope(p->role) == SCOPE_NATIONAL)
		return true;
	return county && county == p->county_id;
}

bool reg_may_edit(struct nrm_ctx *c, const struct reg_def *d, json_t *row)
{
	if (d->personal)
		return reg_may_read_personal(c, d, row);
	return reg_may_write(c, d, j_int(row, "county_id"));
}

bool reg_may_read_personal(struct nrm_ctx *c, const struct reg_def *d, json_t *row)
{
	const struct principal *p = c->me;
	return d->personal && p->role == ROLE_CASEWORKER && p->institution_id &&
	       j_int(row, "holder") == p->institution_id && writes(d, p->role);
}

int reg_entry_load(struct nrm_ctx *c, const struct reg_def *d, const char *code, json_t **row, struct nrm_err *err)
{
	json_t *r = NULL;
	if (!code || strlen(code) > 40 || store_reg_get(c->db, d->name, code, &r) != 0 || !reg_may_read(c, d, r)) {
		json_decref(r);
		return nrm_fail(err, NRM_ENOTFOUND, KEY_no_such_entry, NULL, NULL);
	}
	*row = r;
	return 0;
}

int reg_query_of(struct nrm_ctx *c, const struct reg_def *d, const struct reg_filter *f, struct reg_query *q,
		 char first[11], char last[11], struct nrm_err *err)
{
	const struct principal *p = c->me;
	*q = (struct reg_query){.reg = d->name, .after = f->after, .limit = f->limit};
	if (!reg_role_reads(c, d))
		return nrm_fail(err, NRM_EFORBIDDEN, KEY_register_read_role, NULL, NULL);
	if (f->county && *f->county && store_county_id(c->db, f->county, &q->county) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_unknown_county, "county", NULL);
	if (role_scope(p->role) != SCOPE_NATIONAL) {
		if (q->county && q->county != p->county_id)
			return nrm_fail(err, NRM_EFORBIDDEN, KEY_register_own_county, "county", NULL);
		q->county = p->county_id;
		q->with_national = !d->personal;
		if (d->personal && p->role == ROLE_CASEWORKER)
			q->holder = p->institution_id ? p->institution_id : -1;
	}
	if (f->period && *f->period) {
		struct period pr;
		int rc = period_parse(f->period, "period", &pr, err);
		if (rc)
			return rc;
		date_format(pr.first, first);
		date_format(pr.last, last);
		q->first = d->stock ? NULL : first;
		q->last = last;
	}
	if (f->parent && *f->parent) {
		json_t *par;
		q->parent = -1; /* a parent that is not there has no children */
		if (d->parent_reg && store_reg_get(c->db, d->parent_reg, f->parent, &par) == 0) {
			q->parent = j_int(par, "id");
			json_decref(par);
		}
	}
	return 0;
}

int reg_rows(struct nrm_ctx *c, const char *reg, const struct reg_filter *f, struct reg_def **d, json_t **rows,
	     struct nrm_err *err)
{
	struct reg_def *def;
	struct reg_query q;
	char first[DATE_LEN], last[DATE_LEN];
	int rc = reg_def_load(c, reg, "register", &def, err);
	if (rc)
		return rc;
	if ((rc = reg_query_of(c, def, f, &q, first, last, err)) || (rc = store_reg_list(c->db, &q, rows))) {
		reg_def_free(def);
		return rc;
	}
	*d = def;
	return 0;
}
