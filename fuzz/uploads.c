/* Harness: the checks of an uploaded file (secure/upload.c upload_check, secure/filetype.c) with
 * the shipped types (data/uploads/types.json). Byte 0 picks the claimed type (one past the
 * list: a type nrm does not take), then the X-Filename value up to a NUL, then the file. An
 * accepted file must have passed its claimed type's check, and its stored name must be a single
 * path component of valid UTF-8 without control characters, ending in an extension of that type. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "secure/filetype.h"
#include "secure/upload.h"

static json_t *types;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	json_error_t je;
	struct nrm_err err = {0};
	types = json_load_file("data/uploads/types.json", JSON_REJECT_DUPLICATES, &je);
	if (!types || upload_types_check(types, &err) != 0)
		abort(); /* run from the repository's root */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	json_t *list = json_object_get(types, "types");
	json_t *t = json_array_get(list, data[0] % (json_array_size(list) + 1));
	const uint8_t *nul = memchr(data + 1, 0, size - 1);
	if (!nul)
		return 0;
	char *fname = fuzz_strndup(data + 1, (size_t)(nul - data - 1));
	size_t len = size - (size_t)(nul + 1 - data);
	/* An exact copy, so that a read past the end of the file is caught. */
	uint8_t *body = malloc(len ? len : 1);
	if (!body)
		abort();
	memcpy(body, nul + 1, len);
	struct upload f = {.content_type = t ? json_string_value(json_object_get(t, "mime")) : "text/html",
			   .filename = fname, .data = body, .len = len};
	char name[256];
	const char *mime = NULL;
	struct nrm_err err = {0};
	if (upload_check(types, &f, name, sizeof name, &mime, &err) == 0) {
		if (!t || strcmp(mime, f.content_type) != 0)
			abort();
		const char *check = json_string_value(json_object_get(t, "check")), *arg =
			strcmp(check, "odf") == 0 ? mime : json_string_value(json_object_get(t, "part"));
		if (!filetype_is(check, arg, body, len))
			abort();
		json_t *valid = json_string(name);
		if (!valid || strchr(name, '/') || !name[0])
			abort();
		json_decref(valid);
		for (const char *p = name; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
		const char *dot = strrchr(name, '.');
		bool ext = false;
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(t, "ext"), i, e)
			ext |= dot && strcasecmp(dot + 1, json_string_value(e)) == 0;
		if (!ext)
			abort();
	}
	free(body);
	free(fname);
	return 0;
}
