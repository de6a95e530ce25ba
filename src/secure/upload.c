/* Checking uploaded files and naming them for download. */
#include "secure/upload.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/input.h"
#include "secure/filetype.h"
#include "store/agreement.h"
#include "store/case.h"

#define UPLOAD_MAX_MB 64

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

/* Whether s is a plausible extension: 1 to 8 ASCII letters or digits. */
static bool ext_like(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!isalnum((unsigned char)s[n]) || (unsigned char)s[n] >= 0x80)
			return false;
	return n >= 1 && n <= 8;
}

/* The stored name: the given one when its extension is one of the type's; otherwise its last
 * extension replaced by the type's first ("a.pdf.exe" → "a.pdf", "scan.jpg" of a PNG →
 * "scan.png", "minutes" → "minutes.pdf"). The name keeps room for the extension. */
static void stored_name(char *name, size_t cap, json_t *exts)
{
	const char *first = json_string_value(json_array_get(exts, 0));
	char *dot = strrchr(name, '.');
	size_t i;
	json_t *e;
	if (dot && dot != name)
		json_array_foreach(exts, i, e)
			if (strcasecmp(dot + 1, json_string_value(e)) == 0)
				return;
	if (dot && dot != name && ext_like(dot + 1))
		*dot = '\0';
	/* "a.pdf" left of a removed ".exe": the stem already ends in one of the type's extensions. */
	dot = strrchr(name, '.');
	if (dot && dot != name)
		json_array_foreach(exts, i, e)
			if (strcasecmp(dot + 1, json_string_value(e)) == 0)
				return;
	size_t n = strlen(name), k = strlen(first);
	if (n + 1 + k + 1 > cap) {
		n = cap - k - 2;
		/* Never cut a UTF-8 character in two. */
		while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
	}
	snprintf(name + n, cap - n, "%s.%s", n ? "" : "dokument", first);
}

int upload_types_check(json_t *doc, struct nrm_err *err)
{
	static const char *const checks[] = {"pdf", "png", "jpeg", "ooxml", "odf", "ole2", NULL};
	json_t *types = json_object_get(doc, "types"), *t;
	size_t i;
	if (!json_is_array(types) || json_array_size(types) == 0)
		return nrm_fail_file(err, NRM_EINVAL, "uploads/types.json", "\"types\" must be a list of file types");
	json_array_foreach(types, i, t) {
		const char *mime = j_str(t, "mime"), *check = j_str(t, "check");
		json_t *exts = json_object_get(t, "ext"), *e, *mb = json_object_get(t, "max_mb");
		bool known = false, ok = *mime && *j_str(t, "name") && json_is_array(exts) && json_array_size(exts) > 0 &&
					  json_is_integer(mb) && json_integer_value(mb) >= 1 &&
					  json_integer_value(mb) <= UPLOAD_MAX_MB;
		for (const char *const *c = checks; *c; c++)
			known |= strcmp(*c, check) == 0;
		size_t k;
		json_array_foreach(exts, k, e)
			ok &= json_is_string(e) && ext_like(json_string_value(e));
		if (strcmp(check, "ooxml") == 0 || strcmp(check, "ole2") == 0)
			ok &= *j_str(t, "part") != '\0';
		if (!ok || !known)
			return nrm_fail_file(err, NRM_EINVAL, "uploads/types.json",
					     "type %zu needs mime, name, ext (1 to 8 letters or digits), a known check, part for"
					     " ooxml and ole2, and max_mb from 1 to %d",
					     i + 1, UPLOAD_MAX_MB);
	}
	return 0;
}

int upload_types(struct store *s, json_t **out, struct nrm_err *err)
{
	json_t *doc;
	int rc = store_form_get(s, "uploads:types", &doc);
	if (rc == NRM_ENOTFOUND)
		return nrm_fail(err, NRM_EIO, KEY_document_types_missing, NULL, NULL);
	if (rc)
		return rc;
	if ((rc = upload_types_check(doc, err))) {
		json_decref(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

/* The argument of a type's check: the part a ZIP must hold, or for ODF the type itself. */
static const char *arg_of(json_t *t)
{
	return strcmp(j_str(t, "check"), "odf") == 0 ? j_str(t, "mime") : j_str(t, "part");
}

int upload_check(json_t *types_doc, const struct upload *f, char *name, size_t cap, const char **mime,
		 struct nrm_err *err)
{
	json_t *types = json_object_get(types_doc, "types"), *t, *claimed = NULL, *found = NULL;
	char ctype[128] = "", allowed[512] = "";
	size_t i, n = 0;
	if (f->content_type)
		snprintf(ctype, sizeof ctype, "%.*s", (int)strcspn(f->content_type, "; \t"), f->content_type);
	json_array_foreach(types, i, t) {
		if (strcasecmp(j_str(t, "mime"), ctype) == 0)
			claimed = t;
		n += (size_t)snprintf(allowed + n, sizeof allowed - n, "%s%s", i ? ", " : "", j_str(t, "name"));
		if (n >= sizeof allowed)
			n = sizeof allowed - 1;
	}
	if (!claimed)
		return nrm_fail(err, NRM_EINVAL, KEY_document_type, "Content-Type", "allowed", allowed, NULL);
	if (!f->filename || cap < 16 || file_name(f->filename, name, cap - 6) != 0)
		return nrm_fail(err, NRM_EINVAL, KEY_filename_required, "X-Filename", NULL);
	if (f->len == 0)
		return nrm_fail(err, NRM_EINVAL, KEY_document_empty, "document", NULL);
	const char *tname = j_str(claimed, "name");
	if (!filetype_is(j_str(claimed, "check"), arg_of(claimed), f->data, f->len)) {
		/* Another accepted type: say which, so the person can fix the name or the file. */
		json_array_foreach(types, i, t)
			if (!found && t != claimed && filetype_is(j_str(t, "check"), arg_of(t), f->data, f->len))
				found = t;
		if (found)
			return nrm_fail(err, NRM_EINVAL, KEY_document_mismatch, "document", "detected", j_str(found, "name"),
					"type", tname, NULL);
		/* A false PDF keeps the key clients knew before every type was checked. */
		if (strcmp(j_str(claimed, "check"), "pdf") == 0)
			return nrm_fail(err, NRM_EINVAL, KEY_document_not_pdf, "document", NULL);
		return nrm_fail(err, NRM_EINVAL, KEY_document_not_type, "document", "type", tname, NULL);
	}
	json_int_t mb = json_integer_value(json_object_get(claimed, "max_mb"));
	if (f->len > (size_t)mb * 1024 * 1024) {
		char max[24];
		snprintf(max, sizeof max, "%lld", (long long)mb);
		return nrm_fail(err, NRM_EINVAL, KEY_document_too_large, "document", "type", tname, "max", max, NULL);
	}
	stored_name(name, cap, json_object_get(claimed, "ext"));
	*mime = j_str(claimed, "mime");
	return 0;
}

int upload_add(struct store *s, const struct principal *me, const struct upload *f, int64_t *id,
	       struct nrm_err *err)
{
	char name[256];
	const char *mime;
	json_t *types;
	int rc = upload_types(s, &types, err);
	if (rc)
		return rc;
	if (!(rc = upload_check(types, f, name, sizeof name, &mime, err))) {
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[2 * crypto_hash_sha256_BYTES + 1];
		crypto_hash_sha256(h, f->data, f->len);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		rc = store_document_add(s, name, mime, f->data, f->len, hex, me ? me->id : 0, id);
	}
	json_decref(types);
	return rc;
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
	/* Served as itself only when it is one of these, whatever the data of uploads/types.json
	 * say: an edit there must never make nrm serve HTML or SVG from its own origin. */
	static const char *const served[] = {"application/pdf", "image/png", "image/jpeg", "application/vnd.oasis.opendocument.text",
					     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
					     "application/msword", NULL};
	const char *type = "application/octet-stream";
	for (const char *const *m = served; *m; m++)
		if (strcmp(*m, j_str(meta, "mime")) == 0)
			type = *m;
	json_decref(meta);
	*data = bytes;
	*len = n;
	*mime = type;
	*disposition = disp;
	return 0;
}
