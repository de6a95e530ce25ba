/* A growable byte buffer, always NUL-terminated, for building text and collecting bodies. */
#ifndef NRM_CORE_BUF_H
#define NRM_CORE_BUF_H

#include <stddef.h>

struct buf {
	char *p;     /* owned; NULL until the first append */
	size_t len;
	size_t cap;
};

int buf_append(struct buf *b, const void *data, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s[0..n) as a JSON string: quoted, with '"', '\\' and the control characters escaped;
 * other bytes (UTF-8) as they are. */
int buf_json_string(struct buf *b, const char *s, size_t n);
/* Hands the storage to the caller (free() it); b is left empty. Never NULL on success. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b);

#endif
