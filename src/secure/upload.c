/* Checking uploaded files and naming them for download. */
#include "secure/upload.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "store/agreement.h"

static const char *const doc_types[] = {
	"application/pdf", "image/png", "image/jpeg", "application/vnd.oasis.opendocument.text",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/msword", NULL};

/* Decodes a percent-encoded file name into out and keeps only its last path component. */
static int file_name(const char *raw, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = raw; *p && n + 1 < cap; p++) {
		unsigned v;
		if (*p == '%' && p[1] && p[2] && sscanf(p + 1, "%2x", &v) == 1) {
			out[n++] = (char)v;
			p += 2;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	json_t *valid = json_string(out); /* NULL unless the name is valid UTF-8 */
	if (!valid)
		return -1;
	json_decref(valid);
	char *slash = strrchr(out, '/');
	if (slash)
		memmove(out, slash + 1, strlen(slash));
	for (size_t i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f || out[i] == '"' || out[i] == '\\')
			out[i] = '_';
	return out[0] ? 0 : -1;
}

int upload_add(struct store *s, const struct principal *me, const struct upload *f, int64_t *id,
	       struct nrm_err *err)
{
	char ctype[128] = "", name[256];
	if (f->content_type)
		snprintf(ctype, sizeof ctype, "%.*s", (int)strcspn(f->content_type, ";"), f->content_type);
	int ok = 0;
	for (const char *const *t = doc_types; *t; t++)
		ok |= strcmp(*t, ctype) == 0;
	if (!ok)
		return nrm_fail(err, NRM_EINVAL, KEY_document_type, "Content-Type", NULL);
	if (!f->filename || file_name(f->filename, name, sizeof name) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_filename_required, "X-Filename", NULL);
	if (f->len == 0)
		return nrm_fail(err, NRM_EINVAL, KEY_document_empty, "document", NULL);
	if (strcmp(ctype, "application/pdf") == 0 && (f->len < 5 || memcmp(f->data, "%PDF-", 5) != 0))
		return nrm_fail(err, NRM_EINVAL, KEY_document_not_pdf, "document", NULL);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(h, f->data, f->len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return store_document_add(s, name, ctype, f->data, f->len, hex, me ? me->id : 0, id);
}

int upload_get(struct store *s, int64_t id, void **data, size_t *len, const char **mime, char **disposition)
{
	json_t *meta = NULL;
	void *bytes = NULL;
	size_t n = 0;
	int rc = store_document_get(s, id, &bytes, &n, &meta);
	if (rc)
		return rc;
	char enc[512], *disp = malloc(600);
	size_t k = 0;
	if (!disp) {
		free(bytes);
		json_decref(meta);
		return NRM_ENOMEM;
	}
	for (const unsigned char *p = (const unsigned char *)j_str(meta, "filename"); *p && k + 4 < sizeof enc; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(".-_", *p))
			enc[k++] = (char)*p;
		else
			k += (size_t)snprintf(enc + k, sizeof enc - k, "%%%02X", *p);
	}
	enc[k] = '\0';
	snprintf(disp, 600, "attachment; filename*=UTF-8''%s", enc);
	const char *type = "application/octet-stream";
	for (const char *const *t = doc_types; *t; t++)
		if (strcmp(*t, j_str(meta, "mime")) == 0)
			type = *t;
	json_decref(meta);
	*data = bytes;
	*len = n;
	*mime = type;
	*disposition = disp;
	return 0;
}
