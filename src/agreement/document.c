/* The signed document of an agreement: checked on the way in, named on the way out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement/internal.h"
#include "core/input.h"
#include "secure/audit.h"
#include "secure/upload.h"
#include "store/agreement.h"
#include "store/db.h"

int agreement_document_put(struct nrm_ctx *c, int64_t id, const struct upload *f, json_t **out, struct nrm_err *err)
{
	json_t *a = NULL, *row = NULL;
	int64_t doc;
	int rc;
	if ((rc = agreement_load(c, id, true, &a, err)))
		return rc;
	if ((rc = store_begin(c->db)) || (rc = upload_add(c->db, c->me, f, &doc, err)) ||
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
	json_t *a = NULL;
	int64_t doc = 0;
	int rc = agreement_load(c, id, false, &a, err);
	if (rc)
		return rc;
	json_decref(a);
	if ((rc = store_agreement_document_id(c->db, id, &doc)) || (rc = upload_get(c->db, doc, data, len, mime, disposition)))
		return rc == NRM_ENOTFOUND ? nrm_fail(err, rc, KEY_no_document, NULL, NULL) : rc;
	return 0;
}
