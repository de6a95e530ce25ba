/* Error record helpers. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
	default: return "error";
	}
}
