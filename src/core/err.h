/* Error codes and the error record every layer fills: one idiom for the whole program.
 * Functions return 0 on success or one of the negative codes below. */
#ifndef NRM_CORE_ERR_H
#define NRM_CORE_ERR_H

enum {
	NRM_OK = 0,
	NRM_EINVAL = -1,     /* bad input: a field is missing, malformed or out of range */
	NRM_ENOTFOUND = -2,  /* the thing named does not exist (or is not visible) */
	NRM_ECONFLICT = -3,  /* the state changed meanwhile, or the request clashes with it */
	NRM_EFORBIDDEN = -4, /* authenticated, but the role or scope does not allow it */
	NRM_EAUTH = -5,      /* not authenticated, or bad credentials */
	NRM_ENOMEM = -6,
	NRM_EIO = -7,        /* storage or system failure */
	NRM_EEXIST = -8,     /* would create a duplicate */
	NRM_ETOOBIG = -9,
	NRM_EVERSION = -10,  /* database made by a newer nrm */
	NRM_ELOCKED = -11,   /* account locked after failed logins */
	NRM_EBUSY = -12,     /* too busy right now (database locked, too many logins at once): try again */
};

/* A failure explained: the code, the field it concerns (may be empty) and a message
 * for people. Messages never contain personal data of victims. */
struct nrm_err {
	int code;
	char field[64];
	char msg[240];
};

/* Fills e (if not NULL) and returns code, so callers can write `return nrm_fail(...)`. */
int nrm_fail(struct nrm_err *e, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Stable machine name of a code ("invalid", "not_found", ...). */
const char *nrm_err_name(int code);

#endif
