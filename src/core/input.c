/* Reading and checking the members of a JSON input document. */
#include "core/input.h"

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
		if (!*a) {
			char name[64];
			snprintf(name, sizeof name, "%.60s", key);
			return nrm_fail(err, NRM_EINVAL, KEY_unknown_field, name, NULL);
		}
	}
	return 0;
}

int in_str(json_t *obj, const char *key, bool required, size_t max, const char **out, struct nrm_err *err)
{
	json_t *v = json_object_get(obj, key);
	char b[24];
	if (!v || json_is_null(v)) {
		if (required)
			return nrm_fail(err, NRM_EINVAL, KEY_required, key, NULL);
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return nrm_fail(err, NRM_EINVAL, KEY_not_string, key, NULL);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n)
		return nrm_fail(err, NRM_EINVAL, KEY_nul_character, key, NULL);
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	if (i == n) {
		if (required)
			return nrm_fail(err, NRM_EINVAL, KEY_required, key, NULL);
		*out = NULL;
		return 0;
	}
	size_t chars = 0;
	for (i = 0; i < n; i++)
		chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	if (chars > max)
		return nrm_fail(err, NRM_EINVAL, KEY_too_long, key, "max", nrm_num(b, (long long)max), NULL);
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r') || s[i] == 0x7f)
			return nrm_fail(err, NRM_EINVAL, KEY_control_characters, key, NULL);
	*out = s;
	return 0;
}

int in_line(json_t *obj, const char *key, bool required, size_t max, const char **out, struct nrm_err *err)
{
	const char *s;
	int rc = in_str(obj, key, required, max, &s, err);
	if (rc)
		return rc;
	if (s && s[strcspn(s, "\t\r\n")])
		return nrm_fail(err, NRM_EINVAL, KEY_control_characters, key, NULL);
	*out = s;
	return 0;
}

int in_date(json_t *obj, const char *key, bool required, const char **out, int32_t *days, struct nrm_err *err)
{
	const char *s;
	int rc = in_str(obj, key, required, 10, &s, err);
	if (rc == NRM_EINVAL && err && err->key == KEY_too_long)
		return nrm_fail(err, NRM_EINVAL, KEY_date_format, key, NULL);
	if (rc)
		return rc;
	int32_t d = 0;
	if (s && (rc = date_field(s, key, &d, err)))
		return rc;
	*out = s;
	if (days)
		*days = d;
	return 0;
}

int in_int(json_t *obj, const char *key, bool required, int64_t *out, struct nrm_err *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v)) {
		if (required)
			return nrm_fail(err, NRM_EINVAL, KEY_required, key, NULL);
		*out = 0;
		return 0;
	}
	if (!json_is_integer(v))
		return nrm_fail(err, NRM_EINVAL, KEY_not_integer, key, NULL);
	*out = json_integer_value(v);
	return 0;
}

int in_bool(json_t *obj, const char *key, int *out, struct nrm_err *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return nrm_fail(err, NRM_EINVAL, KEY_not_boolean, key, NULL);
	*out = json_is_true(v);
	return 0;
}

int in_enum(json_t *obj, const char *key, bool required, const char *const *allowed, const char **out,
	    struct nrm_err *err)
{
	const char *s;
	int rc = in_str(obj, key, required, 64, &s, err);
	if (rc)
		return rc;
	bool ok = !s;
	for (const char *const *a = allowed; !ok && *a; a++)
		ok = strcmp(*a, s) == 0;
	if (ok) {
		*out = s;
		return 0;
	}
	char list[200] = "";
	size_t used = 0;
	for (const char *const *a = allowed; *a && used < sizeof list - 1; a++) {
		int n = snprintf(list + used, sizeof list - used, "%s%s", a == allowed ? "" : ", ", *a);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return nrm_fail(err, NRM_EINVAL, KEY_not_one_of, key, "allowed", list, NULL);
}

int in_email(json_t *obj, const char *key, const char **out, struct nrm_err *err)
{
	const char *s;
	int rc = in_str(obj, key, false, 200, &s, err);
	if (rc)
		return rc;
	const char *at = s ? strchr(s, '@') : NULL;
	if (s && (!at || at == s || !at[1] || strpbrk(s, " <>,;\"")))
		return nrm_fail(err, NRM_EINVAL, KEY_email_invalid, key, NULL);
	*out = s;
	return 0;
}

int64_t j_int(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

const char *j_str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

json_t *j_pick(json_t *src, const char *const *keys)
{
	json_t *o = json_object();
	for (; *keys; keys++) {
		json_t *v = json_object_get(src, *keys);
		if (v)
			json_object_set(o, *keys, v);
	}
	return o;
}

bool j_has(json_t *array, const char *s)
{
	size_t i;
	json_t *x;
	json_array_foreach(array, i, x)
		if (s && json_is_string(x) && strcmp(json_string_value(x), s) == 0)
			return true;
	return false;
}
