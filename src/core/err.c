/* Error record helpers. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

int nrm_fail(struct nrm_err *e, int code, const char *field, const char *fmt, ...)
{
	if (!e)
		return code;
	e->code = code;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	utf8_trim(e->field);
	utf8_trim(e->msg);
	return code;
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
	case NRM_ELOCKED: return "locked";
	case NRM_EBUSY: return "busy";
	default: return "error";
	}
}
