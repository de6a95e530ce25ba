/* Files people upload — signed agreements, meeting materials, a body's documents, letters of
 * the register — checked the same way on the way in and named safely on the way out.
 *
 * The accepted types are data (data/uploads/types.json, stored as "uploads:types" by nrm init
 * and nrm forms load): each a MIME type, a name people know ("PDF"), its extensions, the
 * content check of secure/filetype.h and a size limit. A file is accepted when its claimed
 * type (Content-Type) is one of them and its content passes that type's check; its stored
 * name then carries an extension of that type. */
#ifndef NRM_SECURE_UPLOAD_H
#define NRM_SECURE_UPLOAD_H

#include <jansson.h>
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

/* Checks a definition of the accepted types ({"types": [...]}, as data/uploads/types.json). */
int upload_types_check(json_t *doc, struct nrm_err *err);
/* The stored definition (*out a new reference), checked; document_types_missing (NRM_EIO) in
 * a database whose definitions predate it (nrm forms load stores them). */
int upload_types(struct store *s, json_t **out, struct nrm_err *err);
/* Checks f against the types of types_doc, without I/O. On success writes the name to store
 * into name (cap at least 16) and the accepted MIME type to *mime (borrowed from types_doc).
 * Refusals, each naming its field: document_type (Content-Type, param allowed: the names of
 * the types), filename_required (X-Filename), document_empty, document_not_type (param type:
 * the content is none of the accepted types; document_not_pdf for a claimed PDF), document_mismatch (params
 * detected, type: the content is another accepted type), document_too_large (params type,
 * max in MB) — the last four with field "document". */
int upload_check(json_t *types_doc, const struct upload *f, char *name, size_t cap, const char **mime,
		 struct nrm_err *err);
/* Checks f (upload_check, with the stored types) and adds it to the documents in the caller's
 * transaction; *id is the new document. Nothing is written on a refusal. */
int upload_add(struct store *s, const struct principal *me, const struct upload *f, int64_t *id,
	       struct nrm_err *err);
/* A stored document for download: its bytes (*data malloc'd, free() it), length, its MIME
 * type when it is one nrm serves as itself (otherwise application/octet-stream) and a
 * Content-Disposition naming the file (*disposition malloc'd). NRM_ENOTFOUND when none. */
int upload_get(struct store *s, int64_t id, void **data, size_t *len, const char **mime, char **disposition);

#endif
