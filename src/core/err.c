/* Error record helpers: keys, templates, parameters. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name, *text;
} keys[KEY_COUNT] = {
#define NRM_KEY(name, text) {#name, text},
#include "core/errors.def"
#undef NRM_KEY
};

const char *nrm_key_name(enum nrm_key k)
{
	return (unsigned)k < KEY_COUNT ? keys[k].name : "internal";
}

const char *nrm_key_text(enum nrm_key k)
{
	return (unsigned)k < KEY_COUNT ? keys[k].text : "internal error";
}

/* Cuts a multi-byte UTF-8 sequence that truncation left incomplete at the end of s. */
static void utf8_trim(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	if (n - (i - 1) < want)
		s[i - 1] = '\0';
}

/* The value of placeholder name (n bytes) in e, or NULL. */
static const char *lookup(const struct nrm_err *e, const char *name, size_t n)
{
	if (n == 5 && strncmp(name, "field", 5) == 0)
		return e->field;
	for (int i = 0; i < e->nparams; i++)
		if (strlen(e->params[i].name) == n && strncmp(e->params[i].name, name, n) == 0)
			return e->params[i].value;
	return NULL;
}

/* Renders the key's template into e->msg, replacing {name} by the field or a parameter. */
static void render(struct nrm_err *e)
{
	const char *t = nrm_key_text(e->key);
	size_t used = 0, cap = sizeof e->msg;
	while (*t && used + 1 < cap) {
		const char *end = *t == '{' ? strchr(t, '}') : NULL;
		const char *v = end ? lookup(e, t + 1, (size_t)(end - t - 1)) : NULL;
		if (v) {
			int w = snprintf(e->msg + used, cap - used, "%s", *v ? v : "(none)");
			used += w > 0 ? (size_t)w : 0;
			if (used >= cap)
				used = cap - 1;
			t = end + 1;
		} else {
			e->msg[used++] = *t++;
		}
	}
	e->msg[used] = '\0';
	utf8_trim(e->msg);
}

int nrm_fail(struct nrm_err *e, int code, enum nrm_key key, const char *field, ...)
{
	if (!e)
		return code;
	e->code = code;
	e->key = key;
	e->nparams = 0;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	utf8_trim(e->field);
	va_list ap;
	va_start(ap, field);
	const char *name;
	while ((name = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);
		if (e->nparams == NRM_ERR_PARAMS)
			continue;
		snprintf(e->params[e->nparams].name, sizeof e->params[0].name, "%s", name);
		snprintf(e->params[e->nparams].value, sizeof e->params[0].value, "%s", value ? value : "");
		utf8_trim(e->params[e->nparams].value);
		e->nparams++;
	}
	va_end(ap);
	render(e);
	return code;
}

int nrm_fail_file(struct nrm_err *e, int code, const char *file, const char *fmt, ...)
{
	char problem[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);
	return nrm_fail(e, code, KEY_data_file, NULL, "file", file, "problem", problem, NULL);
}

enum nrm_key nrm_key_of_code(int code)
{
	switch (code) {
	case NRM_EINVAL: return KEY_invalid;
	case NRM_ENOTFOUND: return KEY_not_found;
	case NRM_ECONFLICT: return KEY_conflict;
	case NRM_EFORBIDDEN: return KEY_forbidden;
	case NRM_EAUTH: return KEY_unauthorized;
	case NRM_EEXIST: return KEY_exists;
	case NRM_ETOOBIG: return KEY_too_large;
	case NRM_ELOCKED: return KEY_locked;
	case NRM_EBUSY: return KEY_busy;
	default: return KEY_internal;
	}
}

const char *nrm_err_name(int code)
{
	switch (code) {
	case NRM_OK: return "ok";
	case NRM_EINVAL: return "invalid";
	case NRM_ENOTFOUND: return "not_found";
	case NRM_ECONFLICT: return "conflict";
	case NRM_EFORBIDDEN: return "forbidden";
	case NRM_EAUTH: return "unauthorized";
	case NRM_ENOMEM: return "no_memory";
	case NRM_EIO: return "internal";
	case NRM_EEXIST: return "exists";
	case NRM_ETOOBIG: return "too_large";
	case NRM_EVERSION: return "version";
	case NRM_ELOCKED: return "too_many_attempts";
	case NRM_EBUSY: return "busy";
	default: return "error";
	}
}

const char *nrm_num(char buf[24], long long v)
{
	snprintf(buf, 24, "%lld", v);
	return buf;
}

int nrm_err_nest(struct nrm_err *e, const char *prefix)
{
	if (!e || !e->field[0] || !prefix || !*prefix)
		return e ? e->code : 0;
	char f[2 * sizeof e->field + 2];
	int n = snprintf(f, sizeof f, "%s.%s", prefix, e->field);
	/* A name that does not fit stays as it was rather than cut. */
	if (n < 0 || (size_t)n >= sizeof e->field)
		return e->code;
	memcpy(e->field, f, (size_t)n + 1);
	render(e);
	return e->code;
}
