/* Growable buffer. */
#include "core/buf.h"
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(struct buf *b, size_t need)
{
	if (b->len + need + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + need + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p)
		return NRM_ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

int buf_append(struct buf *b, const void *data, size_t n)
{
	if (grow(b, n))
		return NRM_ENOMEM;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n))
		return NRM_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

/* One byte that JSON wants escaped, as its escape, into esc (NUL-terminated). */
static void escape(unsigned char ch, char esc[8])
{
	switch (ch) {
	case '"': memcpy(esc, "\\\"", 3); break;
	case '\\': memcpy(esc, "\\\\", 3); break;
	case '\n': memcpy(esc, "\\n", 3); break;
	case '\r': memcpy(esc, "\\r", 3); break;
	case '\t': memcpy(esc, "\\t", 3); break;
	default: snprintf(esc, 8, "\\u%04x", ch); break;
	}
}

int buf_json_string(struct buf *b, const char *s, size_t n)
{
	/* Most strings need no escape: copied byte by byte into room made once. */
	if (grow(b, n + 2))
		return NRM_ENOMEM;
	char *o = b->p + b->len;
	*o++ = '"';
	size_t i = 0;
	for (; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == '"' || ch == '\\')
			break;
		*o++ = (char)ch;
	}
	*o = '\0';
	b->len = (size_t)(o - b->p);
	while (i < n) {
		char esc[8];
		escape((unsigned char)s[i++], esc);
		size_t j = i;
		while (j < n && (unsigned char)s[j] >= 0x20 && s[j] != '"' && s[j] != '\\')
			j++;
		if (buf_puts(b, esc) || buf_append(b, s + i, j - i))
			return NRM_ENOMEM;
		i = j;
	}
	return buf_append(b, "\"", 1);
}

char *buf_take(struct buf *b)
{
	if (!b->p && buf_append(b, "", 0))
		return NULL;
	char *p = b->p;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
