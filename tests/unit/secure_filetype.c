/* secure/filetype: formats recognised by their content — the real minimal files of
 * tests/api/files/ pass, and broken or disguised ones fail without reading past their end
 * (the suite runs under ASan too). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secure/filetype.h"

#define ODT "application/vnd.oasis.opendocument.text"

static unsigned char *load(const char *name, size_t *len)
{
	char path[200];
	snprintf(path, sizeof path, "tests/api/files/%s", name);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	unsigned char *p = malloc((size_t)n);
	cr_assert(p && fread(p, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* Each prefix of the file (a copy of exactly that length, so ASan sees a read past it) fails,
 * but for one without trailing white space only (a PDF need not end in a line break). */
static void every_prefix_fails(const char *check, const char *arg, const unsigned char *p, size_t n)
{
	size_t end = n;
	while (end > 0 && strchr("\r\n \t", p[end - 1]))
		end--;
	for (size_t k = 0; k < end; k++) {
		unsigned char *c = malloc(k ? k : 1);
		memcpy(c, p, k);
		cr_expect(!filetype_is(check, arg, c, k), "%s cut to %zu of %zu bytes", check, k, n);
		free(c);
	}
}

Test(filetype, the_real_minimal_files_pass_and_their_prefixes_fail)
{
	static const struct {
		const char *file, *check, *arg;
	} t[] = {{"minimal.pdf", "pdf", NULL},
		 {"minimal.png", "png", NULL},
		 {"minimal.jpg", "jpeg", NULL},
		 {"minimal.docx", "ooxml", "word/document.xml"},
		 {"minimal.odt", "odf", ODT},
		 {"minimal.doc", "ole2", "WordDocument"}};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		size_t n;
		unsigned char *p = load(t[i].file, &n);
		cr_expect(filetype_is(t[i].check, t[i].arg, p, n), "%s", t[i].file);
		every_prefix_fails(t[i].check, t[i].arg, p, n);
		free(p);
	}
}

Test(filetype, a_format_is_not_taken_for_another)
{
	size_t n;
	unsigned char *docx = load("minimal.docx", &n);
	cr_expect(!filetype_is("odf", ODT, docx, n), "a DOCX is no ODT");
	cr_expect(!filetype_is("ooxml", "xl/workbook.xml", docx, n), "a Word document is no workbook");
	cr_expect(!filetype_is("ooxml", NULL, docx, n));
	free(docx);
	unsigned char *odt = load("minimal.odt", &n);
	cr_expect(!filetype_is("ooxml", "word/document.xml", odt, n));
	cr_expect(!filetype_is("odf", "application/vnd.oasis.opendocument.spreadsheet", odt, n), "its mimetype says text");
	free(odt);
	unsigned char *doc = load("minimal.doc", &n);
	cr_expect(!filetype_is("ole2", "Workbook", doc, n), "a compound file without a Workbook stream");
	free(doc);
	cr_expect(!filetype_is("zip", NULL, "PK\3\4", 4), "an unknown check");
}

Test(filetype, a_zip_whose_directory_points_outside_the_file_fails)
{
	size_t n;
	unsigned char *p = load("minimal.docx", &n);
	/* The end record is the last 22 bytes (no comment): move the directory's offset past it. */
	unsigned char *eocd = p + n - 22;
	cr_assert_eq(memcmp(eocd, "PK\5\6", 4), 0);
	unsigned char keep[4];
	memcpy(keep, eocd + 16, 4);
	memset(eocd + 16, 0xf0, 4);
	cr_expect(!filetype_is("ooxml", "word/document.xml", p, n));
	memcpy(eocd + 16, keep, 4);
	/* A directory entry whose name runs past the directory. */
	unsigned char *cd = p + (eocd[16] | eocd[17] << 8 | eocd[18] << 16 | (unsigned)eocd[19] << 24);
	cr_assert_eq(memcmp(cd, "PK\1\2", 4), 0);
	cd[28] = 0xff, cd[29] = 0xff;
	cr_expect(!filetype_is("ooxml", "word/document.xml", p, n));
	free(p);
}

Test(filetype, markup_and_executables_are_none_of_the_types)
{
	static const char html[] = "<!DOCTYPE html><script>alert(1)</script>%PDF-1.4\n%%EOF\n";
	static const char *const checks[] = {"pdf", "png", "jpeg", "ooxml", "odf", "ole2"};
	for (size_t i = 0; i < 6; i++) {
		cr_expect(!filetype_is(checks[i], "word/document.xml", html, sizeof html - 1), "%s", checks[i]);
		cr_expect(!filetype_is(checks[i], "WordDocument", "MZ\x90\0\3\0\0\0", 8), "%s", checks[i]);
	}
}
