/* The signed document of an agreement: checked on the way in, named on the way out. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement/internal.h"
#include "core/input.h"
#include "secure/audit.h"
#include "store/agreement.h"
#include "store/db.h"

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

int agreement_document_put(struct nrm_ctx *c, int64_t id, const struct agreement_file *f, json_t **out,
			   struct nrm_err *err)
{
	json_t *a = NULL, *row = NULL;
	char ctype[128] = "", name[256];
	int64_t doc;
	if (f->content_type)
		snprintf(ctype, sizeof ctype, "%.*s", (int)strcspn(f->content_type, ";"), f->content_type);
	int rc, ok = 0;
	for (const char *const *t = doc_types; *t; t++)
		ok |= strcmp(*t, ctype) == 0;
	if ((rc = agreement_load(c, id, true, &a, err)))
		return rc;
	if (!ok)
		rc = nrm_fail(err, NRM_EINVAL, KEY_document_type, "Content-Type", NULL);
	else if (!f->filename || file_name(f->filename, name, sizeof name) != 0)
		rc = nrm_fail(err, NRM_EINVAL, KEY_filename_required, "X-Filename", NULL);
	else if (f->len == 0)
		rc = nrm_fail(err, NRM_EINVAL, KEY_document_empty, "document", NULL);
	else if (strcmp(ctype, "application/pdf") == 0 && (f->len < 5 || memcmp(f->data, "%PDF-", 5) != 0))
		rc = nrm_fail(err, NRM_EINVAL, KEY_document_not_pdf, "document", NULL);
	if (rc)
		goto done;
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(h, f->data, f->len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if ((rc = store_begin(c->db)) ||
	    (rc = store_document_add(c->db, name, ctype, f->data, f->len, hex, c->me->id, &doc)) ||
	    (rc = store_agreement_set_document(c->db, id, doc)) || (rc = store_agreement_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, c->me, "upload", "agreement", id, json_object_get(a, "document"),
				  json_object_get(row, "document"), NULL)) ||
	    (rc = store_commit(c->db)))
		goto done;
	*out = row;
	row = NULL;
done:
	if (rc)
		store_rollback(c->db);
	json_decref(row);
	json_decref(a);
	return rc;
}

int agreement_document_get(struct nrm_ctx *c, int64_t id, void **data, size_t *len, const char **mime,
			   char **disposition, struct nrm_err *err)
{
	json_t *a = NULL, *meta = NULL;
	void *bytes = NULL;
	size_t n = 0;
	int64_t doc = 0;
	int rc = agreement_load(c, id, false, &a, err);
	if (rc)
		return rc;
	json_decref(a);
	if ((rc = store_agreement_document_id(c->db, id, &doc)) || (rc = store_document_get(c->db, doc, &bytes, &n, &meta)))
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_document, NULL, NULL) : rc;
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
