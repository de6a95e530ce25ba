/* E-mail: a message composed from UTF-8 text and an optional calendar attachment, and the
 * outbox (store/notice.h) delivered over SMTP with libcurl by a thread of `nrm serve`.
 * Messages are written to the outbox in the transaction of what they announce, so a notice
 * is never lost nor sent for a change that was rolled back; the thread sends each one, and
 * tries again a few times when the server refuses or is away. What a message says is the
 * caller's business: no caller puts a victim's personal data in one. */
#ifndef NRM_MAIL_MAIL_H
#define NRM_MAIL_MAIL_H

#include <stddef.h>

/* The RFC 5322 / MIME message (CRLF line ends; headers and parts base64-encoded where they
 * may hold non-ASCII text). ics (may be NULL) is attached as "mbledhja.ics". *out malloc'd,
 * free() it; written only on success (0, or NRM_EINVAL for an address that is empty, longer than 254
 * octets, or holds a control character or an angle bracket; NRM_ENOMEM). */
int mail_compose(const char *from, const char *to, const char *subject, const char *text, const char *ics,
		 char **out);

/* Sends one message to one recipient over `url` (smtp://host:port or smtps://...). 0, or
 * NRM_EIO with the server's or libcurl's words in errbuf. */
int mail_send(const char *url, const char *from, const char *to, const char *message, char *errbuf, size_t errcap);

struct mail_config {
	const char *url;     /* the SMTP server */
	const char *from;    /* the sender's address */
	const char *db_path; /* the database whose outbox is delivered */
};
/* Starts the delivery thread (the strings must outlive it); 0 or NRM_EIO. Call
 * curl_global_init before any thread starts. */
int mail_worker_start(const struct mail_config *cfg);
/* Asks the thread to look at the outbox now rather than at its next round. */
void mail_worker_wake(void);
/* Stops the thread after the message it is sending, if any. */
void mail_worker_stop(void);

#endif
