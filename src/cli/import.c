/* `nrm import cases FILE.csv`: registers the cases of a legacy spreadsheet, saved as CSV
 * (UTF-8), in the National Database, as the user named by --as.
 *
 * The first row names the columns: top-level field names of the case form
 * (data/forms/case.json). Below it, one case per row:
 *   - an empty cell leaves the field out;
 *   - text as it is (a leading ' before = + - @, a tab or a carriage return is dropped: that
 *     is how export protects cells from spreadsheet formulas);
 *   - integer: a whole number; boolean: true/false, po/jo or 1/0 (any case);
 *   - date: YYYY-MM-DD, or DD.MM.YYYY (converted);
 *   - code: the code itself; codes: codes separated by ';' (e.g. "A01; A03");
 *   - group (al_documents, al_consents, al_reintegration_plan): the JSON text of a list of
 *     objects keyed by the sub-field names, e.g. [{"al_document_type":"passport"}]
 *     (a single object counts as a list of one; dates inside are written YYYY-MM-DD).
 *
 * A column "al_stage" (the Authority's roles only) registers records of earlier years in
 * the stage they reached, with the history their dates tell: the day each stage was entered
 * is its date field (data/forms/workflow.json), and the case must hold what its stage
 * requires — the figures then count each fact on the day it happened.
 *
 * Every row is checked exactly as the API checks a new case, by case_create itself (a row it
 * refuses is then checked value by value, to name every column at fault), all rows inside
 * one transaction: --dry-run lists every error as "row N, column FIELD: message" (rows
 * numbered as in the spreadsheet, the header is row 1) and writes nothing; a real run
 * writes every row or, on any error, nothing. Messages never repeat a cell's value: the
 * cells hold victims' personal data.
 */
#include "cli/cli.h"

#include <csv.h>
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/date.h"
#include "secure/audit.h"
#include "store/org.h"
#include "store/user.h"

/* ---- the import ---- */

/* The column naming the stage a record of earlier years reached (not a field of the form). */
#define STAGE_COLUMN "al_stage"

struct cell {
	char *p; /* NUL-terminated copy */
	size_t n;
};

struct import {
	struct cli_cases *cc;
	int64_t institution;
	char **cols;    /* header: field name per column, NULL when the column has no name */
	size_t ncols;
	struct cell *cells; /* the record being read */
	size_t ncells, cap;
	size_t row;         /* record number, the header is 1 */
	size_t rows, errors, bad_rows;
	bool row_bad, header_bad, fatal;
	json_t *codes;      /* codes of the cases made */
	json_t *code_rows;  /* code → row, for duplicates within the file */
	json_t *id_codes;   /* case id → code, for the approximate search's answer */
	json_t *notes;      /* likely duplicates: {"row", "code", "dup", "dup_row"} */
	char letter[16];
	struct nrm_err ferr;
};

/* The spreadsheet letter of column i (0 → A, 26 → AA). */
static const char *letter_of(struct import *im, size_t i)
{
	char rev[15];
	size_t n = 0;
	i++;
	while (i && n < sizeof rev) {
		rev[n++] = (char)('A' + (i - 1) % 26);
		i = (i - 1) / 26;
	}
	for (size_t k = 0; k < n; k++)
		im->letter[k] = rev[n - 1 - k];
	im->letter[n] = '\0';
	return im->letter;
}

/* Prints one error of the current row; col NULL = the row as a whole. */
static void row_error(struct import *im, const char *col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void row_error(struct import *im, const char *col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (col)
		fprintf(stderr, "row %zu, column %s: ", im->row, col);
	else
		fprintf(stderr, "row %zu: ", im->row);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	im->errors++;
	if (!im->row_bad)
		im->bad_rows++;
	im->row_bad = true;
}

static void cells_clear(struct import *im)
{
	for (size_t i = 0; i < im->ncells; i++) {
		sodium_memzero(im->cells[i].p, im->cells[i].n);
		free(im->cells[i].p);
	}
	im->ncells = 0;
}

static void on_cell(void *s, size_t len, void *data)
{
	struct import *im = data;
	if (im->fatal)
		return;
	if (im->ncells == im->cap) {
		size_t cap = im->cap ? im->cap * 2 : 32;
		struct cell *c = realloc(im->cells, cap * sizeof *c);
		if (!c)
			goto oom;
		im->cells = c;
		im->cap = cap;
	}
	char *p = malloc(len + 1);
	if (!p)
		goto oom;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	im->cells[im->ncells++] = (struct cell){p, len};
	return;
oom:
	im->fatal = true;
	nrm_fail(&im->ferr, NRM_ENOMEM, KEY_internal, NULL, NULL);
}

static bool blank(const struct cell *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->p[i] != ' ' && c->p[i] != '\t')
			return false;
	return true;
}

/* A header cell fit to be echoed in a message: short, no control characters. */
static bool printable(const struct cell *c)
{
	if (c->n > 60 || strlen(c->p) != c->n)
		return false;
	for (size_t i = 0; i < c->n; i++)
		if ((unsigned char)c->p[i] < 0x20 || c->p[i] == 0x7f)
			return false;
	return true;
}

static void read_header(struct import *im)
{
	const struct form *f = im->cc->form;
	if (im->ncells && im->cells[0].n >= 3 && memcmp(im->cells[0].p, "\xEF\xBB\xBF", 3) == 0) {
		memmove(im->cells[0].p, im->cells[0].p + 3, im->cells[0].n - 2); /* the BOM spreadsheets write */
		im->cells[0].n -= 3;
	}
	im->cols = calloc(im->ncells ? im->ncells : 1, sizeof *im->cols);
	if (!im->cols) {
		im->fatal = true;
		nrm_fail(&im->ferr, NRM_ENOMEM, KEY_internal, NULL, NULL);
		return;
	}
	im->ncols = im->ncells;
	for (size_t i = 0; i < im->ncells; i++) {
		const struct cell *c = &im->cells[i];
		if (blank(c))
			continue; /* a column without a name must stay empty (checked per row) */
		if (!printable(c) || (!form_is_top(f, c->p) && strcmp(c->p, STAGE_COLUMN) != 0)) {
			row_error(im, printable(c) ? c->p : letter_of(im, i),
				  "not a field of the case form (row 1 names fields of data/forms/case.json, e.g. prs_Gender)");
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (im->cols[j] && strcmp(im->cols[j], c->p) == 0)
				row_error(im, c->p, "the column appears twice (also column %s)", letter_of(im, j));
		im->cols[i] = strdup(c->p);
		if (!im->cols[i]) {
			im->fatal = true;
			nrm_fail(&im->ferr, NRM_ENOMEM, KEY_internal, NULL, NULL);
			return;
		}
	}
	im->header_bad = im->errors > 0;
}

/* The n bytes at s without the spaces around them, into out (cap bytes); false when they
 * do not fit. */
static bool trimmed_n(const char *s, size_t n, char *out, size_t cap)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= cap)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

/* "DD.MM.YYYY" (day and month may have one digit, a final dot is allowed) as "YYYY-MM-DD". */
static bool dotted_date(const char *s, char out[DATE_LEN])
{
	unsigned part[3] = {0, 0, 0};
	int digits[3] = {0, 0, 0}, k = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (++digits[k] > 4)
				return false;
			part[k] = part[k] * 10 + (unsigned)(*p - '0');
		} else if (*p == '.' && digits[k] && (k < 2 || !p[1])) {
			k += k < 2;
		} else {
			return false;
		}
	}
	if (k != 2 || digits[0] > 2 || digits[1] > 2 || digits[2] != 4)
		return false;
	snprintf(out, DATE_LEN, "%04u-%02u-%02u", part[2] % 10000, part[1] % 100, part[0] % 100);
	return true;
}

/* The JSON value of one cell for field fd (named name), or NULL with err filled. Messages
 * name the field and never the cell's text. *absent is set when the cell means "no value". */
static json_t *cell_value(const char *name, json_t *fd, const struct cell *c, bool *absent, struct nrm_err *err)
{
	const char *type = json_string_value(json_object_get(fd, "type"));
	char t[256];
	*absent = false;
	if (strlen(c->p) != c->n)
		return nrm_fail(err, NRM_EINVAL, KEY_cell_nul, name, NULL), NULL;
	json_t *str = json_stringn(c->p, c->n);
	if (!str)
		return nrm_fail(err, NRM_EINVAL, KEY_cell_not_utf8, name, NULL), NULL;
	json_decref(str);
	if (strcmp(type, "text") == 0 || strcmp(type, "textarea") == 0) {
		const char *s = c->p;
		if (s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]))
			s++;
		return json_string(s);
	}
	if (strcmp(type, "group") == 0) {
		json_error_t je;
		json_t *v = json_loadb(c->p, c->n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
		if (!v || !(json_is_array(v) || json_is_object(v))) {
			json_decref(v);
			return nrm_fail(err, NRM_EINVAL, KEY_cell_group, name, NULL), NULL;
		}
		if (json_is_object(v)) {
			json_t *a = json_array();
			json_array_append_new(a, v);
			v = a;
		}
		return v;
	}
	if (strcmp(type, "codes") == 0) {
		json_t *a = json_array();
		for (const char *p = c->p; *p;) {
			size_t n = strcspn(p, ";");
			if (!trimmed_n(p, n, t, sizeof t)) {
				json_decref(a);
				return nrm_fail(err, NRM_EINVAL, KEY_bad_code_in_list, name, "list",
						json_string_value(json_object_get(fd, "codelist")), NULL),
				       NULL;
			}
			if (*t)
				json_array_append_new(a, json_string(t));
			p += n + (p[n] == ';');
		}
		*absent = json_array_size(a) == 0;
		return a;
	}
	if (!trimmed_n(c->p, c->n, t, sizeof t))
		return nrm_fail(err, NRM_EINVAL, KEY_cell_too_long, name, "type", type, NULL), NULL;
	if (strcmp(type, "code") == 0)
		return json_string(t);
	if (strcmp(type, "integer") == 0) {
		char *end;
		errno = 0;
		long long n = strtoll(t, &end, 10);
		if (!*t || *end || errno)
			return nrm_fail(err, NRM_EINVAL, KEY_not_integer, name, NULL), NULL;
		return json_integer((json_int_t)n);
	}
	if (strcmp(type, "boolean") == 0) {
		static const char *const yes[] = {"true", "po", "1"}, *const no[] = {"false", "jo", "0"};
		for (size_t i = 0; i < 3; i++) {
			if (strcasecmp(t, yes[i]) == 0)
				return json_true();
			if (strcasecmp(t, no[i]) == 0)
				return json_false();
		}
		return nrm_fail(err, NRM_EINVAL, KEY_cell_boolean, name, NULL), NULL;
	}
	if (strcmp(type, "date") == 0) {
		char iso[DATE_LEN];
		int32_t d;
		if (date_parse(t, &d) == 0)
			return json_string(t);
		if (dotted_date(t, iso) && date_parse(iso, &d) == 0)
			return json_string(iso);
		return nrm_fail(err, NRM_EINVAL, KEY_cell_date, name, NULL), NULL;
	}
	return json_string(t);
}

/* The column an error of case_create concerns: the top-level part of its field. */
static const char *err_column(struct import *im, const struct nrm_err *err, char *out, size_t cap)
{
	size_t n = strcspn(err->field, ".");
	if (!n || n >= cap)
		return NULL;
	memcpy(out, err->field, n);
	out[n] = '\0';
	return form_field(im->cc->form, out) || strcmp(out, STAGE_COLUMN) == 0 ? out : NULL;
}

/* Whether case_create refused the row's data (checked before it writes anything), rather
 * than failed to store it. */
static bool row_fault(int rc, const struct nrm_err *err)
{
	if (rc != NRM_EINVAL && rc != NRM_EFORBIDDEN && rc != NRM_ECONFLICT)
		return false;
	return err->key != KEY_case_not_saved && err->key != KEY_conflict && err->key != KEY_stale;
}

/* Lists the error of every value of the row that the form refuses, each under its column;
 * the number found. Only for a row already refused: a good row is checked once, by
 * case_create itself. */
static size_t field_errors(struct import *im, json_t *vals)
{
	size_t found = 0;
	const char *name;
	json_t *v;
	json_object_foreach(vals, name, v) {
		struct nrm_err err = {0};
		json_t *one = json_object();
		json_object_set(one, name, v);
		if (form_validate(im->cc->form, one, &err)) {
			row_error(im, name, "%s", err.msg);
			found++;
		}
		json_decref(one);
	}
	return found;
}

static void read_row(struct import *im)
{
	const struct form *f = im->cc->form;
	bool any = false;
	for (size_t i = 0; i < im->ncells; i++)
		any |= !blank(&im->cells[i]);
	if (!any)
		return; /* an empty row of the spreadsheet */
	im->rows++;
	/* fields: what case_create gets; vals: every value read, the empty ones too, for the
	 * per-column errors of a row refused. */
	json_t *fields = json_object(), *vals = json_object();
	char stage[64] = "";
	for (size_t i = 0; i < im->ncells; i++) {
		const struct cell *c = &im->cells[i];
		if (blank(c))
			continue;
		const char *name = i < im->ncols ? im->cols[i] : NULL;
		if (!name) {
			row_error(im, letter_of(im, i), i < im->ncols ? "a value in a column without a name in row 1"
								      : "a value beyond the last column of row 1");
			continue;
		}
		if (strcmp(name, STAGE_COLUMN) == 0) {
			if (!trimmed_n(c->p, c->n, stage, sizeof stage))
				row_error(im, name, "not a stage of the workflow");
			continue;
		}
		struct nrm_err err = {0};
		bool absent;
		json_t *v = cell_value(name, form_field(f, name), c, &absent, &err);
		if (!v) {
			row_error(im, name, "%s", err.msg);
			continue;
		}
		if (!absent)
			json_object_set(fields, name, v);
		json_object_set_new(vals, name, v);
	}
	if (im->row_bad) {
		field_errors(im, vals); /* the row's other errors too */
	} else {
		struct nrm_err err = {0};
		json_t *out = NULL;
		char col[64];
		int rc = case_create_at(&im->cc->ctx, fields, im->institution, *stage ? stage : NULL, &out, &err);
		if (row_fault(rc, &err)) {
			/* Every value the form refuses, by column; else the rule case_create applied. */
			if (field_errors(im, vals) == 0)
				row_error(im, err_column(im, &err, col, sizeof col), "%s", err.msg);
		} else if (rc) {
			/* Not the row's fault: the transaction may be gone, so stop here. */
			im->fatal = true;
			im->ferr = err;
			if (!im->ferr.msg[0])
				nrm_fail(&im->ferr, rc, nrm_key_of_code(rc), NULL, NULL);
			im->ferr.code = rc;
		} else {
			const char *code = json_string_value(json_object_get(out, "code"));
			char id[24];
			snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(out, "id")));
			json_array_append_new(im->codes, json_string(code));
			json_object_set_new(im->code_rows, code, json_integer((json_int_t)im->row));
			json_object_set_new(im->id_codes, id, json_string(code));
			json_t *dups = json_object_get(out, "duplicates");
			size_t k;
			json_t *d;
			json_array_foreach(dups, k, d)
				json_array_append_new(im->notes, json_pack("{s:I, s:s, s:O, s:O*}", "row", (json_int_t)im->row, "code",
									   code, "dup", d, "dup_row",
									   json_object_get(im->code_rows, json_string_value(d))));
		}
		json_decref(out);
	}
	json_decref(vals);
	json_decref(fields);
}

static void on_row(int term, void *data)
{
	struct import *im = data;
	(void)term;
	if (!im->fatal) {
		im->row++;
		im->row_bad = false;
		if (im->row == 1)
			read_header(im);
		else if (!im->header_bad)
			read_row(im);
	}
	cells_clear(im);
}

/* Feeds the file through libcsv; 0, or an exit code after printing why. */
static int parse_file(struct import *im, FILE *fp, const char *path)
{
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return cli_error("import", EXIT_RUNTIME, "out of memory");
	char buf[65536];
	size_t n;
	int rc = 0;
	while (!im->fatal && (n = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (csv_parse(&p, buf, n, on_cell, on_row, im) != n) {
			rc = cli_error("import", EXIT_USAGE, "row %zu: the file is not valid CSV (%s)", im->row + 1,
				       csv_strerror(csv_error(&p)));
			break;
		}
	}
	if (!rc && ferror(fp))
		rc = cli_error("import", EXIT_RUNTIME, "cannot read %s", path);
	if (!rc && !im->fatal && csv_fini(&p, on_cell, on_row, im) != 0)
		rc = cli_error("import", EXIT_USAGE, "row %zu: the file is not valid CSV (%s)", im->row + 1,
			       csv_strerror(csv_error(&p)));
	sodium_memzero(buf, sizeof buf);
	csv_free(&p);
	cells_clear(im);
	return rc;
}

static int by_note(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t rx = json_integer_value(json_object_get(x, "row")), ry = json_integer_value(json_object_get(y, "row"));
	if (rx != ry)
		return (rx > ry) - (rx < ry);
	json_int_t ax = json_integer_value(json_object_get(x, "at")), ay = json_integer_value(json_object_get(y, "at"));
	return (ax > ay) - (ax < ay);
}

/* The approximate search of every row at once (case_similar_batch_run), once all are written:
 * its candidates join the notes the exact ones made as each row was written, by row. */
static int search_rows(struct import *im)
{
	json_t *found = NULL, *codes, *seen = json_object(), *n;
	int rc = case_similar_batch_run(&im->cc->ctx, &found);
	const char *id;
	size_t i, k;
	json_array_foreach(im->notes, i, n) {
		char key[96];
		snprintf(key, sizeof key, "%s %s", json_string_value(json_object_get(n, "code")),
			 json_string_value(json_object_get(n, "dup")));
		json_object_set(seen, key, json_true());
	}
	json_object_foreach(found, id, codes) {
		const char *code = json_string_value(json_object_get(im->id_codes, id));
		json_t *dup;
		json_array_foreach(codes, k, dup) {
			char key[96];
			if (!code)
				break;
			snprintf(key, sizeof key, "%s %s", code, json_string_value(dup));
			if (json_object_get(seen, key))
				continue;
			json_array_append_new(im->notes, json_pack("{s:O, s:s, s:O, s:O*}", "row", json_object_get(im->code_rows, code),
								   "code", code, "dup", dup, "dup_row",
								   json_object_get(im->code_rows, json_string_value(dup))));
		}
	}
	json_decref(found);
	json_decref(seen);
	/* By row, each row's exact ones first (qsort is not stable: the index breaks ties). */
	size_t count = json_array_size(im->notes);
	if (count < 2)
		return rc;
	json_t **all = malloc(count * sizeof *all);
	if (!all)
		return rc ? rc : NRM_ENOMEM;
	json_array_foreach(im->notes, i, n) {
		json_object_set_new(n, "at", json_integer((json_int_t)i));
		all[i] = json_incref(n);
	}
	qsort(all, count, sizeof *all, by_note);
	json_array_clear(im->notes);
	for (i = 0; i < count; i++) {
		json_object_del(all[i], "at");
		json_array_append_new(im->notes, all[i]);
	}
	free(all);
	return rc;
}

/* The likely duplicates found (codes only); a dry run's own codes are not real, so not shown. */
static void print_notes(struct import *im, bool dry)
{
	size_t i;
	json_t *n;
	json_array_foreach(im->notes, i, n) {
		long long row = (long long)json_integer_value(json_object_get(n, "row"));
		const char *dup = json_string_value(json_object_get(n, "dup"));
		json_t *dup_row = json_object_get(n, "dup_row");
		if (dry && dup_row)
			printf("row %lld may be the same person as row %lld\n", row, (long long)json_integer_value(dup_row));
		else if (dry)
			printf("row %lld may be the same person as %s\n", row, dup);
		else
			printf("row %lld (%s) may be the same person as %s\n", row, json_string_value(json_object_get(n, "code")),
			       dup);
	}
}

static int import_cases(int argc, char **argv)
{
	const char *db = "nrm.db", *as = NULL, *inst = NULL, *file = NULL;
	bool dry = false;
	const struct cli_opt opts[] = {{"db", &db, NULL}, {"as", &as, NULL}, {"institution", &inst, NULL},
				       {"dry-run", NULL, &dry}, {NULL, NULL, NULL}};
	if (argc > 0 && argv[0][0] != '-') {
		file = argv[0];
		argc--;
		argv++;
	}
	int rc = cli_parse("import", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (!file)
		return cli_error("import", EXIT_USAGE, "usage: nrm import cases FILE.csv --as USERNAME [--db FILE] [--dry-run]");
	if (!as)
		return cli_error("import", EXIT_USAGE, "--as USERNAME is required: the user registering the cases");
	FILE *fp = fopen(file, "rb");
	if (!fp)
		return cli_error("import", EXIT_USAGE, "cannot read %s", file);
	struct cli_cases cc;
	if ((rc = cli_cases_open("import", db, as, &cc))) {
		fclose(fp);
		return rc;
	}
	rc = cli_import_run(&cc, fp, file, inst, dry);
	cli_cases_close(&cc);
	fclose(fp);
	return rc;
}

int cli_import_run(struct cli_cases *cc, FILE *fp, const char *file, const char *inst, bool dry)
{
	int rc;
	struct import im = {.cc = cc, .codes = json_array(), .code_rows = json_object(), .id_codes = json_object(),
			    .notes = json_array()};
	const struct principal *me = &cc->me;
	bool began = false;
	if (me->role == ROLE_CASEWORKER) {
		if (inst) {
			rc = cli_error("import", EXIT_USAGE, "a case worker registers cases for their own institution; drop --institution");
			goto done;
		}
		im.institution = me->institution_id;
	} else if (role_is_authority(me->role)) {
		char *end;
		im.institution = inst ? strtoll(inst, &end, 10) : me->institution_id;
		if (inst && (*end || im.institution <= 0)) {
			rc = cli_error("import", EXIT_USAGE, "--institution must be the id of an institution");
			goto done;
		}
	} else {
		rc = cli_error("import", EXIT_USAGE, "the role of %s may not register cases", me->username);
		goto done;
	}
	json_t *row = NULL;
	if (!im.institution || store_institution_get(cc->db, im.institution, &row) != 0) {
		if (im.institution)
			rc = cli_error("import", EXIT_USAGE, "institution %lld is not in the registry", (long long)im.institution);
		else
			rc = cli_error("import", EXIT_USAGE, "%s has no institution: give --institution ID, the institution registering the cases", me->username);
		goto done;
	}
	json_decref(row);
	/* Every row is written in one transaction: its pages stay in memory until the commit. */
	(void)store_bulk(cc->db, 256); /* only speed depends on it */
	if ((rc = store_begin(cc->db))) {
		rc = cli_error("import", EXIT_RUNTIME, "the database is busy; try again");
		goto done;
	}
	began = true;
	/* The approximate search waits until every row is written (search_rows). */
	if ((rc = case_similar_batch_begin(&cc->ctx))) {
		rc = cli_error("import", EXIT_RUNTIME, "out of memory");
		goto done;
	}
	if ((rc = parse_file(&im, fp, file)))
		goto done;
	if (im.fatal) {
		rc = cli_error("import", EXIT_RUNTIME, "%s; nothing was imported", im.ferr.msg);
		goto done;
	}
	if (im.row == 0) {
		rc = cli_error("import", EXIT_USAGE, "%s is empty: the first row must name the columns", file);
		goto done;
	}
	if (im.errors) {
		rc = cli_error("import", EXIT_USAGE, "%zu error%s in %zu row%s; %s", im.errors, im.errors == 1 ? "" : "s",
			       im.bad_rows, im.bad_rows == 1 ? "" : "s",
			       dry ? "dry run, nothing was written" : "nothing was imported");
		goto done;
	}
	if (im.rows == 0) {
		rc = cli_error("import", EXIT_USAGE, "%s has no rows below the header", file);
		goto done;
	}
	if ((rc = search_rows(&im))) {
		rc = cli_error("import", EXIT_RUNTIME, "cannot compare the rows with the cases stored; nothing was imported");
		goto done;
	}
	if (dry) {
		printf("dry run: %zu row%s valid; nothing was written\n", im.rows, im.rows == 1 ? "" : "s");
		print_notes(&im, true);
		rc = EXIT_OK;
		goto done;
	}
	json_t *after = json_pack("{s:I}", "count", (json_int_t)im.rows);
	rc = secure_audit(cc->db, me, "import", "cases", NULL, NULL, after, NULL);
	json_decref(after);
	if (rc || (rc = store_commit(cc->db))) {
		rc = cli_error("import", EXIT_RUNTIME, "cannot store the cases; nothing was imported");
		goto done;
	}
	began = false;
	printf("imported %zu case%s:", im.rows, im.rows == 1 ? "" : "s");
	size_t i;
	json_t *code;
	json_array_foreach(im.codes, i, code)
		printf(" %s", json_string_value(code));
	printf("\n");
	print_notes(&im, false);
	rc = EXIT_OK;
done:
	case_similar_batch_end(&cc->ctx);
	if (began)
		store_rollback(cc->db);
	for (size_t k = 0; k < im.ncols; k++)
		free(im.cols[k]);
	free(im.cols);
	free(im.cells);
	json_decref(im.codes);
	json_decref(im.code_rows);
	json_decref(im.id_codes);
	json_decref(im.notes);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "cases") != 0)
		return cli_error("import", EXIT_USAGE, "expected: nrm import cases FILE.csv --as USERNAME (see nrm --help)");
	return import_cases(argc - 1, argv + 1);
}
