/* Uploads checked by what they are (secure/upload.c, data/uploads/types.json): every accepted
 * type taken as a real minimal file of it (tests/api/files/, made by make.py there), a file
 * that is not what it claims refused naming the field, the stored name's extension that of
 * the type, the size limit of each type, and nothing written on a refusal. The signed
 * document of an agreement stands for every upload route: they share upload_add. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct server srv;
static struct client c;
static void setup(void)
{
	server_start(&srv);
	client_init(&c, &srv);
	client_login(&c, "fier.secretariat", "demo");
}
static void teardown(void)
{
	client_free(&c);
	server_stop(&srv);
}
TestSuite(uploads, .init = setup, .fini = teardown, .timeout = 120);

#define PDF "application/pdf"
#define PNG "image/png"
#define JPEG "image/jpeg"
#define ODT "application/vnd.oasis.opendocument.text"
#define DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define DOC "application/msword"

static char *fixture(const char *name, size_t *len)
{
	char path[200];
	snprintf(path, sizeof path, "tests/api/files/%s", name);
	char *b = file_read(path, len);
	cr_assert_not_null(b, "%s", path);
	return b;
}

/* A new agreement of Fier; its document path in path. */
static void agreement(char path[80])
{
	struct reply r = client_must(&c, "POST", "/api/v1/agreements",
				     "{\"county\":\"fier\",\"counterpart_kind\":\"ngo_nrm\",\"counterpart\":\"Qendra Tjetër Vizion\","
				     "\"title\":\"Protokoll bashkëpunimi\",\"signed\":\"2025-10-01\"}",
				     201);
	snprintf(path, 80, "/api/v1/agreements/%lld/document", jint(r.json, "id"));
	reply_free(&r);
}

static struct reply put(const char *path, const char *mime, const char *name, const void *data, size_t len)
{
	char ct[200], fn[300];
	snprintf(ct, sizeof ct, "Content-Type: %s", mime);
	snprintf(fn, sizeof fn, "X-Filename: %s", name);
	const char *const h[] = {ct, fn, NULL};
	return client_raw(&c, "PUT", path, data, len, h);
}

/* Uploads data as mime named `name` and expects it stored as `stored`, served back intact. */
static void accepted(const char *file, const char *mime, const char *name, const char *stored)
{
	char path[80];
	size_t len;
	char *data = fixture(file, &len);
	agreement(path);
	struct reply r = put(path, mime, name, data, len);
	cr_assert_eq(r.status, 200, "%s: %s", file, r.body);
	cr_expect_str_eq(jstr(r.json, "document.filename"), stored, "%s", file);
	cr_expect_eq(jint(r.json, "document.size"), (long long)len);
	reply_free(&r);
	r = client_get(&c, "%s", path);
	cr_expect_eq(r.status, 200);
	cr_expect(r.len == len && memcmp(r.body, data, len) == 0, "%s comes back intact", file);
	char ct[200];
	snprintf(ct, sizeof ct, "Content-Type: %s", mime);
	cr_expect_not_null(strstr(r.headers, ct), "%s: %s", file, r.headers);
	reply_free(&r);
	free(data);
}

Test(uploads, every_accepted_type_is_taken_by_its_content)
{
	accepted("minimal.pdf", PDF, "memorandum.pdf", "memorandum.pdf");
	accepted("minimal.png", PNG, "skanim.png", "skanim.png");
	accepted("minimal.jpg", JPEG, "foto.jpeg", "foto.jpeg");
	accepted("minimal.jpg", JPEG, "FOTO.JPG", "FOTO.JPG");
	accepted("minimal.odt", ODT, "procesverbal.odt", "procesverbal.odt");
	accepted("minimal.docx", DOCX, "procesverbal.docx", "procesverbal.docx");
	accepted("minimal.doc", DOC, "letra%20e%20vjet%C3%ABr.doc", "letra e vjetër.doc");
}

Test(uploads, the_stored_name_takes_the_extension_of_the_detected_type)
{
	accepted("minimal.pdf", PDF, "marreveshja.pdf.exe", "marreveshja.pdf");
	accepted("minimal.pdf", PDF, "marreveshja", "marreveshja.pdf");
	accepted("minimal.png", PNG, "skanim.jpg", "skanim.png");
	accepted("minimal.docx", DOCX, "procesverbal.doc", "procesverbal.docx");
	accepted("minimal.odt", ODT, "v1.2%20procesverbal", "v1.2 procesverbal.odt");
	accepted("minimal.pdf", PDF, "..%2F..%2Fetc%2Fpasswd", "passwd.pdf");
}

/* Expects a refusal of the upload with status 400, key, field and (when given) params. */
static void refused(const char *path, const char *mime, const char *name, const void *data, size_t len,
		    const char *key, const char *field, const char *detected, const char *type)
{
	struct reply r = put(path, mime, name, data, len);
	cr_expect_eq(r.status, 400, "%s as %s: %s", name, mime, r.body);
	cr_expect_str_eq(jstr(r.json, "error.key"), key, "%s: %s", name, r.body);
	cr_expect_str_eq(jstr(r.json, "error.field"), field, "%s", name);
	if (detected)
		cr_expect_str_eq(jstr(r.json, "error.params.detected"), detected, "%s", name);
	if (type)
		cr_expect_str_eq(jstr(r.json, "error.params.type"), type, "%s", name);
	reply_free(&r);
}

Test(uploads, a_file_that_is_not_what_it_claims_is_refused_naming_the_field)
{
	char path[80];
	agreement(path);
	static const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script>%PDF-1.4 %%EOF</body></html>\n";
	refused(path, PDF, "marreveshja.pdf", html, sizeof html - 1, "document_not_pdf", "document", NULL, NULL);
	/* An executable renamed: the header of a PE file, then padding. */
	char exe[1024] = "MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff";
	memcpy(exe + 0x80, "PE\0\0", 4);
	refused(path, DOCX, "procesverbal.docx", exe, sizeof exe, "document_not_type", "document", NULL, "Word (DOCX)");
	refused(path, DOC, "letra.doc", exe, sizeof exe, "document_not_type", "document", NULL, "Word (DOC)");
	size_t n;
	char *png = fixture("minimal.png", &n);
	/* A PNG sent as a JPEG is refused, saying what it is: the person renames it or sends it as PNG. */
	refused(path, JPEG, "foto.jpg", png, n, "document_mismatch", "document", "PNG", "JPEG");
	refused(path, PNG, "skanim.png", png, n - 12, "document_not_type", "document", NULL, "PNG");
	free(png);
	char *docx = fixture("minimal.docx", &n);
	refused(path, ODT, "procesverbal.odt", docx, n, "document_mismatch", "document", "Word (DOCX)", "ODT");
	/* A ZIP whose central directory is cut off is no document. */
	refused(path, DOCX, "procesverbal.docx", docx, n - 30, "document_not_type", "document", NULL, "Word (DOCX)");
	free(docx);
	char *odt = fixture("minimal.odt", &n);
	refused(path, DOCX, "procesverbal.docx", odt, n, "document_mismatch", "document", "ODT", "Word (DOCX)");
	free(odt);
	struct reply r = put(path, "text/html", "faqja.html", html, sizeof html - 1);
	cr_expect_eq(r.status, 400);
	cr_expect_str_eq(jstr(r.json, "error.key"), "document_type");
	cr_expect_str_eq(jstr(r.json, "error.field"), "Content-Type");
	cr_expect_str_eq(jstr(r.json, "error.params.allowed"), "PDF, PNG, JPEG, ODT, Word (DOCX), Word (DOC)");
	reply_free(&r);
}

/* A real PNG of `len` bytes: the 1x1 picture with a text chunk making up the size. */
static char *big_png(size_t len)
{
	size_t n;
	char *small = fixture("minimal.png", &n), *big = malloc(len);
	cr_assert_not_null(big);
	size_t head = 8 + 25, text = len - n - 12; /* the text chunk's data */
	memcpy(big, small, head);
	unsigned char *t = (unsigned char *)big + head;
	t[0] = (unsigned char)(text >> 24), t[1] = (unsigned char)(text >> 16), t[2] = (unsigned char)(text >> 8);
	t[3] = (unsigned char)text;
	memcpy(t + 4, "tEXt", 4);
	memset(t + 8, 'a', text);
	memset(t + 8 + text, 0, 4); /* its CRC: no reader of ours looks */
	memcpy(big + head + 12 + text, small + head, n - head);
	free(small);
	return big;
}

Test(uploads, each_type_has_its_own_size_limit)
{
	char path[80];
	agreement(path);
	size_t five = 5u * 1024 * 1024;
	char *png = big_png(five + 1);
	refused(path, PNG, "skanim.png", png, five + 1, "document_too_large", "document", NULL, "PNG");
	struct reply r = put(path, PNG, "skanim.png", png, five + 1);
	cr_expect_str_eq(jstr(r.json, "error.params.max"), "5");
	reply_free(&r);
	free(png);
	png = big_png(five);
	r = put(path, PNG, "skanim.png", png, five);
	cr_expect_eq(r.status, 200, "exactly 5 MB is within the limit: %s", r.body);
	reply_free(&r);
	free(png);
	/* A PDF of the same size is within its own limit (10 MB). */
	char *pdf = malloc(five + 1);
	cr_assert_not_null(pdf);
	memset(pdf, ' ', five + 1);
	memcpy(pdf, "%PDF-1.4\n", 9);
	memcpy(pdf + five + 1 - 7, "%%EOF\n", 6);
	r = put(path, PDF, "i-madh.pdf", pdf, five + 1);
	cr_expect_eq(r.status, 200, "%s", r.body);
	reply_free(&r);
	free(pdf);
}

Test(uploads, nothing_is_written_when_a_file_is_refused)
{
	char path[80];
	agreement(path);
	long long docs = db_int(&srv, "SELECT count(*) FROM documents"), audit = db_int(&srv, "SELECT count(*) FROM audit");
	size_t n;
	char *png = fixture("minimal.png", &n);
	struct reply r = put(path, JPEG, "foto.jpg", png, n);
	cr_expect_eq(r.status, 400);
	reply_free(&r);
	free(png);
	static const char html[] = "<html>%PDF-</html>";
	r = put(path, PDF, "a.pdf", html, sizeof html - 1);
	cr_expect_eq(r.status, 400);
	reply_free(&r);
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM documents"), docs, "no document stored");
	cr_expect_eq(db_int(&srv, "SELECT count(*) FROM audit"), audit, "no audit row for what did not happen");
	r = client_get(&c, "%s", path);
	cr_expect_eq(r.status, 404, "the agreement still has no document");
	reply_free(&r);
}
