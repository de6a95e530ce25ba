/* Reading and checking fields of a JSON request body. Every failure names the field. */
#include "api/api.h"

#include <string.h>

#include "core/date.h"

bool in_has(json_t *obj, const char *key)
{
	return json_object_get(obj, key) != NULL;
}

int in_only(json_t *obj, const char *const *allowed, struct nrm_err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, key) != 0)
			a++;
		if (!*a)
			return nrm_fail(err, NRM_EINVAL, key, "unknown field %.60s", key);
	}
	return 0;
}

int in_str(json_t *obj, const char *key, bool required, size_t max, const char **out, struct nrm_err *err)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return nrm_fail(err, NRM_EINVAL, key, "%s is required", key);
		return 0;
	}
	if (!json_is_string(v))
		return nrm_fail(err, NRM_EINVAL, key, "%s must be a string", key);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n)
		return nrm_fail(err, NRM_EINVAL, key, "%s must not contain NUL characters", key);
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	if (i == n) {
		if (required)
			return nrm_fail(err, NRM_EINVAL, key, "%s is required", key);
		return 0;
	}
	size_t chars = 0;
	for (i = 0; i < n; i++)
		chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	if (chars > max)
		return nrm_fail(err, NRM_EINVAL, key, "%s is longer than %zu characters", key, max);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
			return nrm_fail(err, NRM_EINVAL, key, "%s contains control characters", key);
	*out = s;
	return 0;
}

int in_date(json_t *obj, const char *key, bool required, const char **out, int32_t *days, struct nrm_err *err)
{
	const char *s;
	int rc = in_str(obj, key, required, 10, &s, err);
	if (rc)
		return rc;
	int32_t d = 0;
	if (s && date_parse(s, &d) != 0)
		return nrm_fail(err, NRM_EINVAL, key, "%s must be a date written YYYY-MM-DD", key);
	*out = s;
	if (days)
		*days = d;
	return 0;
}

int in_int(json_t *obj, const char *key, bool required, int64_t *out, struct nrm_err *err)
{
	json_t *v = json_object_get(obj, key);
	*out = 0;
	if (!v || json_is_null(v)) {
		if (required)
			return nrm_fail(err, NRM_EINVAL, key, "%s is required", key);
		return 0;
	}
	if (!json_is_integer(v))
		return nrm_fail(err, NRM_EINVAL, key, "%s must be a whole number", key);
	*out = json_integer_value(v);
	return 0;
}

int in_bool(json_t *obj, const char *key, int *out, struct nrm_err *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return nrm_fail(err, NRM_EINVAL, key, "%s must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

int in_enum(json_t *obj, const char *key, bool required, const char *const *allowed, const char **out,
	    struct nrm_err *err)
{
	int rc = in_str(obj, key, required, 64, out, err);
	if (rc || !*out)
		return rc;
	for (const char *const *a = allowed; *a; a++)
		if (strcmp(*a, *out) == 0)
			return 0;
	char list[200] = "";
	size_t used = 0;
	for (const char *const *a = allowed; *a && used < sizeof list - 1; a++) {
		int n = snprintf(list + used, sizeof list - used, "%s%s", a == allowed ? "" : ", ", *a);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return nrm_fail(err, NRM_EINVAL, key, "%s must be one of: %s", key, list);
}
