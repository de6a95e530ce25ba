/* Files people upload — signed agreements, meeting materials, a body's documents, letters of
 * the register — checked the same way on the way in (an accepted type, a name, not empty, and
 * a PDF that really is one) and named safely on the way out. */
#ifndef NRM_SECURE_UPLOAD_H
#define NRM_SECURE_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/role.h"
#include "store/db.h"

/* An uploaded file as the caller gives it: type and name as claimed, and the bytes. */
struct upload {
	const char *content_type; /* may carry parameters ("; charset=...") */
	const char *filename;     /* percent-encoded UTF-8, as the X-Filename header carries it */
	const void *data;
	size_t len;
};

/* Checks f and adds it to the documents in the caller's transaction; *id is the new
 * document. document_type (Content-Type), filename_required (X-Filename), document_empty or
 * document_not_pdf (document) otherwise, with nothing written. */
int upload_add(struct store *s, const struct principal *me, const struct upload *f, int64_t *id,
	       struct nrm_err *err);
/* A stored document for download: its bytes (*data malloc'd, free() it), length, its MIME
 * type when it is one nrm accepts (otherwise application/octet-stream) and a
 * Content-Disposition naming the file (*disposition malloc'd). NRM_ENOTFOUND when none. */
int upload_get(struct store *s, int64_t id, void **data, size_t *len, const char **mime, char **disposition);

#endif
