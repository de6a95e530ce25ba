/* Agreements of a county with prosecution offices and NGOs (Order 94 §1.3), and the signed
 * document of each, uploaded as the raw request body. */
#include "api/api.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "secure/audit.h"
#include "secure/perm.h"
#include "store/agreement.h"
#include "store/org.h"

static const char *const counterpart_kinds[] = {"prosecution_first", "prosecution_appeal", "ngo_nrm", "ngo_other",
						NULL};

void api_agreements(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int64_t county, after;
	int limit;
	json_t *rows;
	if (api_query_county(req, resp, &county) || api_page(req, resp, &after, &limit))
		return;
	if (role_scope(c->me.role) != SCOPE_NATIONAL) {
		if (county && county != c->me.county_id) {
			api_fail(resp, NRM_EFORBIDDEN, "county", "you may see only your own county's agreements");
			return;
		}
		county = c->me.county_id;
	}
	int rc = store_agreements(c->db, county, after, limit, &rows);
	if (rc)
		api_error(resp, rc, NULL);
	else
		api_reply_page(resp, rows, limit);
}

/* Loads agreement id if the caller may read it (edit when `edit`). */
static int load(struct api_ctx *c, int64_t id, bool edit, json_t **out, struct nrm_err *err)
{
	int rc = store_agreement_get(c->db, id, out);
	if (rc)
		return rc;
	int64_t county = api_int(*out, "county_id");
	if (!perm_agreement_read(&c->me, county)) {
		rc = NRM_ENOTFOUND;
	} else if (edit && !perm_agreement_edit(&c->me, county)) {
		rc = nrm_fail(err, NRM_EFORBIDDEN, NULL, "only the county's secretariat may change its agreements");
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

void api_agreement(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	int64_t id;
	json_t *a;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = load(c, id, false, &a, NULL);
	if (rc) {
		api_error(resp, rc, NULL);
		return;
	}
	json_object_set_new(a, "can_edit", json_boolean(perm_agreement_edit(&c->me, api_int(a, "county_id"))));
	http_reply_json(resp, 200, a);
}

/* Reads and checks the agreement fields of `in` into a. */
static int read_fields(json_t *in, struct agreement *a, struct nrm_err *err)
{
	int32_t sd = 0, fd = 0, ud = 0;
	int rc;
	if ((rc = in_enum(in, "counterpart_kind", true, counterpart_kinds, &a->counterpart_kind, err)) ||
	    (rc = in_str(in, "counterpart", true, 300, &a->counterpart, err)) ||
	    (rc = in_str(in, "title", true, 300, &a->title, err)) ||
	    (rc = in_date(in, "signed", true, &a->signed_on, &sd, err)) ||
	    (rc = in_date(in, "valid_from", false, &a->valid_from, &fd, err)) ||
	    (rc = in_date(in, "valid_until", false, &a->valid_until, &ud, err)) ||
	    (rc = in_str(in, "note", false, 2000, &a->note, err)))
		return rc;
	if (a->valid_until && ud < sd)
		return nrm_fail(err, NRM_EINVAL, "valid_until", "valid_until must not be before the signing date");
	if (a->valid_from && a->valid_until && ud < fd)
		return nrm_fail(err, NRM_EINVAL, "valid_until", "valid_until must not be before valid_from");
	return 0;
}

void api_agreement_create(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"county", "counterpart_kind", "counterpart", "title", "signed",
					     "valid_from", "valid_until", "note", NULL};
	struct agreement a = {0};
	json_t *in, *row = NULL;
	const char *cslug;
	int64_t id;
	if (api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_str(in, "county", true, 40, &cslug, &err)))
		goto fail;
	if (store_county_id(c->db, cslug, &a.county) != 0) {
		rc = nrm_fail(&err, NRM_EINVAL, "county", "unknown county");
		goto fail;
	}
	if ((rc = read_fields(in, &a, &err)))
		goto fail;
	if (!perm_agreement_edit(&c->me, a.county)) {
		rc = nrm_fail(&err, NRM_EFORBIDDEN, NULL, "only the county's secretariat may record its agreements");
		goto fail;
	}
	if ((rc = store_begin(c->db)) || (rc = store_agreement_add(c->db, &a, &id)) ||
	    (rc = store_agreement_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, "create", "agreement", id, NULL, row, NULL)) ||
	    (rc = store_commit(c->db)))
		goto fail;
fail:
	api_reply(resp, rc, &err, 201, &row);
	json_decref(row);
	json_decref(in);
}

void api_agreement_update(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	static const char *const fields[] = {"version", "counterpart_kind", "counterpart", "title", "signed",
					     "valid_from", "valid_until", "note", NULL};
	struct agreement a = {0};
	json_t *in, *before = NULL, *row = NULL;
	int64_t id, version;
	if (api_path_id(req, resp, 0, &id) || api_body(req, resp, &in))
		return;
	int rc;
	if ((rc = in_only(in, fields, &err)) || (rc = in_int(in, "version", true, &version, &err)) ||
	    (rc = load(c, id, true, &before, &err)))
		goto fail;
	/* A partial update: absent fields keep their stored value. */
	json_t *merged = json_deep_copy(before);
	json_object_update(merged, in);
	rc = read_fields(merged, &a, &err);
	a.county = api_int(before, "county_id");
	if (!rc && (rc = store_begin(c->db)) == 0)
		rc = store_agreement_update(c->db, id, version, &a);
	json_decref(merged);
	if (rc == NRM_ECONFLICT)
		nrm_fail(&err, rc, "version", "the agreement was changed by someone else; reload it and try again");
	if (rc || (rc = store_agreement_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, "update", "agreement", id, before, row, NULL)) ||
	    (rc = store_commit(c->db)))
		goto fail;
fail:
	api_reply(resp, rc, &err, 200, &row);
	json_decref(row);
	json_decref(before);
	json_decref(in);
}

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

void api_agreement_document_put(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	struct nrm_err err = {0};
	json_t *a = NULL, *row = NULL;
	int64_t id, doc;
	if (api_path_id(req, resp, 0, &id))
		return;
	char ctype[128] = "", name[256];
	const char *ct = http_header(req, "Content-Type"), *fn = http_header(req, "X-Filename");
	if (ct)
		snprintf(ctype, sizeof ctype, "%.*s", (int)strcspn(ct, ";"), ct);
	int rc, ok = 0;
	for (const char *const *t = doc_types; *t; t++)
		ok |= strcmp(*t, ctype) == 0;
	if ((rc = load(c, id, true, &a, &err)))
		goto fail;
	if (!ok) {
		rc = nrm_fail(&err, NRM_EINVAL, "Content-Type", "the document must be PDF, PNG, JPEG, ODT or Word");
		goto fail;
	}
	if (!fn || file_name(fn, name, sizeof name) != 0) {
		rc = nrm_fail(&err, NRM_EINVAL, "X-Filename",
			      "X-Filename header (the file's name, percent-encoded UTF-8) is required");
		goto fail;
	}
	if (req->body.len == 0) {
		rc = nrm_fail(&err, NRM_EINVAL, "document", "the document is empty");
		goto fail;
	}
	if (strcmp(ctype, "application/pdf") == 0 && (req->body.len < 5 || memcmp(req->body.p, "%PDF-", 5) != 0)) {
		rc = nrm_fail(&err, NRM_EINVAL, "document", "the file is not a PDF document");
		goto fail;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256(h, (const unsigned char *)req->body.p, req->body.len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if ((rc = store_begin(c->db)) ||
	    (rc = store_document_add(c->db, name, ctype, req->body.p, req->body.len, hex, c->me.id, &doc)) ||
	    (rc = store_agreement_set_document(c->db, id, doc)) || (rc = store_agreement_get(c->db, id, &row)) ||
	    (rc = secure_audit_id(c->db, &c->me, "upload", "agreement", id, json_object_get(a, "document"),
				  json_object_get(row, "document"), NULL)) ||
	    (rc = store_commit(c->db)))
		goto fail;
fail:
	api_reply(resp, rc, &err, 200, &row);
	json_decref(row);
	json_decref(a);
}

void api_agreement_document_get(struct http_req *req, struct http_resp *resp)
{
	struct api_ctx *c = api_ctx(req);
	json_t *a = NULL, *meta = NULL;
	void *data = NULL;
	size_t len;
	int64_t id, doc = 0;
	if (api_path_id(req, resp, 0, &id))
		return;
	int rc = load(c, id, false, &a, NULL);
	if (!rc)
		rc = store_agreement_document_id(c->db, id, &doc);
	if (!rc)
		rc = store_document_get(c->db, doc, &data, &len, &meta);
	if (rc) {
		json_decref(a);
		if (rc == NRM_ENOTFOUND)
			api_fail(resp, rc, NULL, "no document has been uploaded for this agreement");
		else
			api_error(resp, rc, NULL);
		return;
	}
	char disp[600];
	char enc[512];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)api_str(meta, "filename"); *p && n + 4 < sizeof enc; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(".-_", *p))
			enc[n++] = (char)*p;
		else
			n += (size_t)snprintf(enc + n, sizeof enc - n, "%%%02X", *p);
	}
	enc[n] = '\0';
	snprintf(disp, sizeof disp, "attachment; filename*=UTF-8''%s", enc);
	const char *mime = "application/octet-stream";
	for (const char *const *t = doc_types; *t; t++)
		if (strcmp(*t, api_str(meta, "mime")) == 0)
			mime = *t;
	http_reply_bytes(resp, 200, mime, data, len);
	http_add_header(resp, "Content-Disposition", disp);
	json_decref(meta);
	json_decref(a);
}
