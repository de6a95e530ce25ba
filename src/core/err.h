/* Error codes and the error record every layer fills: one idiom for the whole program.
 * Functions return 0 on success or one of the negative codes below.
 *
 * A failure carries a code (the kind of failure, which sets the HTTP status or the exit
 * code), a stable key naming the precise reason (core/errors.def: the UI translates by key,
 * docs/api.md lists every key), the field it concerns and named parameters. The English
 * message is made from the key's template, so message and key cannot disagree. */
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
	NRM_ELOCKED = -11,   /* slowed down after failed logins: try again later (HTTP 429, Retry-After) */
	NRM_EBUSY = -12,     /* too busy right now (database locked, too many logins at once): try again */
};

/* The keys, KEY_<name>, in the order of core/errors.def. */
enum nrm_key {
#define NRM_KEY(name, text) KEY_##name,
#include "core/errors.def"
#undef NRM_KEY
	KEY_COUNT
};

#define NRM_ERR_PARAMS 4

/* A failure explained. Messages and parameters never contain personal data of victims. */
struct nrm_err {
	int code;
	enum nrm_key key;
	char field[64];
	struct {
		char name[24];
		char value[128];
	} params[NRM_ERR_PARAMS];
	int nparams;
	char msg[240];
};

/* Fills e (if not NULL) and returns code, so callers can write `return nrm_fail(...)`.
 * After the field come parameter pairs (name, value), both strings, ending with NULL:
 *   return nrm_fail(err, NRM_EINVAL, KEY_date_before_body, "start", "established", est, NULL); */
int nrm_fail(struct nrm_err *e, int code, enum nrm_key key, const char *field, ...) __attribute__((sentinel));

/* Places the field of a failure inside a member of the input ("guests.1" + "email" →
 * "guests.1.email") and renders the message again; returns e->code. For checks of nested
 * objects that name the member as they see it. A failure without a field is left alone. */
int nrm_err_nest(struct nrm_err *e, const char *prefix);

/* A problem of a data or input file (key data_file): "FILE: problem", the problem written
 * as printf does. */
int nrm_fail_file(struct nrm_err *e, int code, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The key's stable name ("date_before_body") and English template ("{field} must not be …"). */
const char *nrm_key_name(enum nrm_key k);
const char *nrm_key_text(enum nrm_key k);
/* The general key of a code (KEY_not_found for NRM_ENOTFOUND, ...), for failures that
 * filled no record. */
enum nrm_key nrm_key_of_code(int code);

/* Stable machine name of a code ("invalid", "not_found", ...). */
const char *nrm_err_name(int code);

/* Writes v in decimal into buf and returns buf: for numeric parameters. */
const char *nrm_num(char buf[24], long long v);

#endif
