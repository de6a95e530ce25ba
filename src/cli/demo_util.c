/* What the demo loaders of `nrm init --demo` share: dates written relative to today in the
 * demo files, and acting as a demo user through the domain operations. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "secure/perm.h"
#include "store/user.h"

bool demo_day(int32_t today, const char *s, char out[DATE_LEN])
{
	char *end;
	if (strncmp(s, "today", 5) != 0 || (s[5] != '-' && s[5] != '+'))
		return false;
	long n = strtol(s + 6, &end, 10);
	if (*end || n < 0 || n > 36500)
		return false;
	date_format(today + (int32_t)(s[5] == '-' ? -n : n), out);
	return true;
}

json_t *demo_dated(int32_t today, json_t *v)
{
	char day[DATE_LEN];
	if (json_is_string(v))
		return demo_day(today, json_string_value(v), day) ? json_string(day) : json_incref(v);
	json_t *out = json_is_array(v) ? json_array() : json_is_object(v) ? json_object() : NULL, *x;
	if (!out)
		return json_incref(v);
	size_t i;
	const char *k;
	if (json_is_array(v))
		json_array_foreach(v, i, x)
			json_array_append_new(out, demo_dated(today, x));
	else
		json_object_foreach(v, k, x)
			json_object_set_new(out, k, demo_dated(today, x));
	return out;
}

int demo_acting(struct store *s, const char *as, int32_t today, const struct form *f, const struct labels *l,
		struct principal *p, struct nrm_ctx *c)
{
	json_t *u;
	int rc = store_user_by_name(s, as, &u);
	if (!rc)
		rc = secure_principal_of(u, p);
	json_decref(u);
	*c = (struct nrm_ctx){.db = s, .me = p, .today = today, .form = f, .labels = l};
	return rc;
}
