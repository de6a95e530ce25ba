/* What every domain operation (src/case/, src/org/, src/agreement/, src/meeting/,
 * src/user/) is given: who acts, on which database, on which day, and the shared read-only
 * definitions. Filled by the API for each request and by the CLI for its operator. */
#ifndef NRM_CORE_CTX_H
#define NRM_CORE_CTX_H

#include <stdint.h>

#include "core/role.h"

struct store;
struct form;
struct crypt_keys;
struct labels;
struct statdef;

struct match_def;
struct case_similar_batch;

struct nrm_ctx {
	struct store *db;
	const struct principal *me;    /* the CLI's operator has id 0 */
	int32_t today;                 /* the civil date in Tirane (core/clock.h) */
	const struct form *form;       /* the case form */
	const struct crypt_keys *keys; /* personal-data keys */
	const struct labels *labels;
	const struct statdef *stats;   /* what the figures count (core/statdef.h) */
	const struct match_def *match; /* approximate matching (match/match.h); NULL: off */
	const char *session; /* token hash of the session, for "reason once per case and session"; NULL at the CLI */
	const char *mail_from; /* e-mail goes out (mail/mail.h) when set; NULL: no SMTP server */
	struct case_similar_batch *similar; /* case/case.h: an import's deferred searches; NULL: none */
};

#endif
