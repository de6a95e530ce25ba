/* What the auditor's tools share: who may use them, the rules, times in Tirane, reasons. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "oversight/internal.h"
#include "secure/crypt.h"
#include "secure/perm.h"
#include "store/audit.h"

bool ov_officer(struct nrm_ctx *c, struct nrm_err *err)
{
	if (perm_oversight(c->me))
		return true;
	nrm_fail(err, NRM_EFORBIDDEN, KEY_oversight_dpo_only, NULL, NULL);
	return false;
}

int ov_rules(struct nrm_ctx *c, json_t **out, struct nrm_err *err)
{
	int rc = store_audit_rules(c->db, out);
	if (rc == NRM_ENOTFOUND)
		return nrm_fail(err, NRM_ENOTFOUND, KEY_oversight_rules_missing, NULL, NULL);
	return rc;
}

char *ov_read_actions(json_t *rules)
{
	json_t *all = json_array();
	json_array_extend(all, json_object_get(rules, "reads"));
	json_array_extend(all, json_object_get(rules, "personal_if"));
	char *txt = json_dumps(all, JSON_COMPACT);
	json_decref(all);
	return txt;
}

bool ov_read_personal(json_t *rules, json_t *row)
{
	const char *action = j_str(row, "action");
	if (j_has(json_object_get(rules, "reads"), action))
		return true;
	return j_has(json_object_get(rules, "personal_if"), action) &&
	       json_is_true(json_object_get(json_object_get(row, "after"), "personal"));
}

int32_t ov_local_day(const char *ts, int *minute, int *weekday)
{
	time_t t;
	if (!ts || date_stamp_parse(ts, &t) != 0)
		return -1;
	long long local = (long long)t + date_tirane_offset(t);
	long long day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	if (minute)
		*minute = (int)((local - day * 86400) / 60);
	if (weekday)
		*weekday = (int)(((day + 3) % 7 + 7) % 7) + 1; /* 1970-01-01 was a Thursday */
	return (int32_t)day;
}

void ov_day_start(int32_t day, char out[21])
{
	time_t midnight_utc = (time_t)day * 86400;
	/* Tirane's offset at its midnight: the clocks change at 01:00 UTC, never between 22:00
	 * UTC the day before and then, so the offset two hours earlier is the one. */
	date_utc_stamp(midnight_utc - date_tirane_offset(midnight_utc - 7200), out);
}

char *ov_open_reason(struct nrm_ctx *c, json_t *row)
{
	const char *reason = j_str(row, "reason");
	if (!crypt_is_sealed(reason))
		return NULL;
	/* Reasons about a case, or an entry of a register, are sealed for its code; others (an
	 * export's) for none. */
	const char *of = j_str(row, "entity");
	bool coded = strcmp(of, "case") == 0 || strcmp(of, "register_entry") == 0;
	char ctx[64], *clear = NULL;
	crypt_reason_context(ctx, coded ? j_str(row, "entity_id") : NULL);
	if (crypt_open_text(c->keys, ctx, reason, &clear) != 0 || !clear) {
		free(clear);
		return strdup("(unreadable)");
	}
	return clear;
}

void ov_wipe(char *s)
{
	if (s)
		sodium_memzero(s, strlen(s));
	free(s);
}
