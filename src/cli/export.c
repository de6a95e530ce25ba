/* `nrm export cases`: the cases the user named by --as may see (merged records left out),
 * as CSV or as HTCDS 2.0 JSON.
 *
 * CSV: one row per case; columns code, stage, county, holder (institution id), holder_name,
 * then the case form's top-level fields in form order — codes joined by ';', groups as
 * JSON text, text that starts with = + - @ behind a ' so spreadsheets do not run it as a
 * formula (import drops that ' again). The same layout `nrm import cases` reads, less the
 * first five columns.
 * HTCDS: an array of objects, "caseId" = the code, fields with HTCDS names (prs_, vic_,
 * cas_, con_, spl_) at the top with Albania's own code values (al_...) mapped to their
 * HTCDS parent or "Other", and Albania's own fields, as they are, under "al" (with
 * al_stage and al_holder).
 *
 * Personal fields only with --personal and a --reason, for the Authority (every case) and
 * case workers (the cases their institution holds or created); each case read that way is
 * audited by case_personal with the reason. --deidentified is the research extract: a
 * random id per record instead of the code, records in random order, no personal field, no
 * holder, no institution or meeting reference, no municipality, no free text, dates cut to
 * YYYY-MM, and the age band instead of any age or birth date. The export itself is one
 * audit row, written before any case leaves the database.
 *
 * With --out the file is written beside its final name (mode 0600) and renamed when
 * complete, so an error leaves no partial file. */
#include "cli/cli.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "core/buf.h"
#include "secure/audit.h"

enum mode { PLAIN, PERSONAL, DEIDENTIFIED };

struct export {
	struct cli_cases *cc;
	bool htcds;
	enum mode mode;
	const char *reason;
	FILE *fp;
	json_t *columns; /* the form fields written, in form order */
	json_t *htcds_doc; /* the HTCDS code lists (cli/htcds.c) */
	size_t written, personal;
};

static const char *str_of(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Whether the research extract keeps a non-personal field: no free text, no reference to an
 * institution or meeting, nothing the form marks "identifying" (a municipality, a shelter,
 * an age or birth date). */
static bool deid_keeps(json_t *fd)
{
	const char *type = str_of(fd, "type");
	if (strcmp(type, "text") == 0 || strcmp(type, "textarea") == 0 || *str_of(fd, "ref"))
		return false;
	return !json_is_true(json_object_get(fd, "identifying"));
}

static bool wanted(const struct form *f, const char *name, enum mode m)
{
	if (form_is_personal(f, name))
		return m == PERSONAL;
	return m != DEIDENTIFIED || deid_keeps(form_field(f, name));
}

/* A value as the research extract shows it (new reference): dates cut to YYYY-MM, group
 * entries without the sub-fields it does not keep. */
static json_t *deid_value(const struct form *f, json_t *fd, json_t *v)
{
	const char *type = str_of(fd, "type");
	if (strcmp(type, "date") == 0 && json_string_length(v) >= 7)
		return json_stringn(json_string_value(v), 7);
	if (strcmp(type, "group") != 0 || !json_is_array(v))
		return json_incref(v);
	json_t *out = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(v, i, item) {
		json_t *o = json_object();
		const char *k;
		json_t *sv;
		json_object_foreach(item, k, sv) {
			json_t *sub = form_field(f, k);
			if (sub && !form_is_personal(f, k) && deid_keeps(sub))
				json_object_set_new(o, k, deid_value(f, sub, sv));
		}
		json_array_append_new(out, o);
	}
	return out;
}

/* The text of a CSV cell (malloc'd; NULL when out of memory). */
static char *cell_text(json_t *fd, json_t *v)
{
	const char *type = str_of(fd, "type");
	if (!v || json_is_null(v))
		return strdup("");
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v)) {
		char n[32];
		snprintf(n, sizeof n, "%lld", (long long)json_integer_value(v));
		return strdup(n);
	}
	if (json_is_boolean(v))
		return strdup(json_is_true(v) ? "true" : "false");
	if (json_is_array(v) && strcmp(type, "codes") == 0) {
		struct buf b = {0};
		size_t i;
		json_t *c;
		json_array_foreach(v, i, c)
			if (buf_printf(&b, "%s%s", i ? ";" : "", json_string_value(c) ? json_string_value(c) : "")) {
				buf_free(&b);
				return NULL;
			}
		return b.p ? buf_take(&b) : strdup("");
	}
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Whether s is a whole number, the one kind of cell that may start with '-'. */
static bool number(const char *s)
{
	const char *p = s + (*s == '-');
	if (!*p)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* Writes one cell. A cell that a spreadsheet would run as a formula — one starting with
 * = + - @ or a tab or carriage return — goes out behind a ' (import drops it again): every
 * cell, institution names too, since any of them may come from someone's typing. */
static int put_cell(struct export *ex, bool first, const char *s)
{
	if (!s)
		return NRM_ENOMEM;
	if (!first && fputc(',', ex->fp) == EOF)
		return NRM_EIO;
	if (!(s[0] && strchr("=+-@\t\r", s[0]) && !number(s)))
		return csv_fwrite(ex->fp, s, strlen(s)) != 0 ? NRM_EIO : 0;
	size_t n = strlen(s);
	char *t = malloc(n + 2);
	if (!t)
		return NRM_ENOMEM;
	t[0] = '\'';
	memcpy(t + 1, s, n + 1);
	int bad = csv_fwrite(ex->fp, t, n + 1) != 0;
	sodium_memzero(t, n + 1);
	free(t);
	return bad ? NRM_EIO : 0;
}

static int put_value(struct export *ex, json_t *fd, json_t *v)
{
	char *t = cell_text(fd, v);
	int rc = put_cell(ex, false, t);
	if (t)
		sodium_memzero(t, strlen(t));
	free(t);
	return rc;
}

static int csv_header(struct export *ex)
{
	int rc;
	if (ex->mode == DEIDENTIFIED)
		rc = put_cell(ex, true, "id") || put_cell(ex, false, "stage") || put_cell(ex, false, "county") ||
		     put_cell(ex, false, "age_band");
	else
		rc = put_cell(ex, true, "code") || put_cell(ex, false, "stage") || put_cell(ex, false, "county") ||
		     put_cell(ex, false, "holder") || put_cell(ex, false, "holder_name");
	size_t i;
	json_t *n;
	json_array_foreach(ex->columns, i, n)
		rc = rc || put_cell(ex, false, json_string_value(n));
	return rc || fputs("\r\n", ex->fp) == EOF ? NRM_EIO : 0;
}

/* One case: its row from case_get, data = its fields (personal ones too when read). */
static int write_case(struct export *ex, json_t *row, json_t *data)
{
	const struct form *f = ex->cc->form;
	char rid[25];
	const char *id = str_of(row, "code");
	if (ex->mode == DEIDENTIFIED) {
		unsigned char r[12];
		randombytes_buf(r, sizeof r);
		sodium_bin2hex(rid, sizeof rid, r, sizeof r);
		id = rid;
	}
	char holder[32];
	snprintf(holder, sizeof holder, "%lld", (long long)json_integer_value(json_object_get(row, "holder")));
	size_t i;
	json_t *n;
	int rc = 0;
	if (!ex->htcds) {
		rc = put_cell(ex, true, id) || put_cell(ex, false, str_of(row, "stage")) || put_cell(ex, false, str_of(row, "county"));
		if (ex->mode == DEIDENTIFIED)
			rc = rc || put_cell(ex, false, str_of(row, "age_band"));
		else
			rc = rc || put_cell(ex, false, holder) || put_cell(ex, false, str_of(row, "holder_name"));
		json_array_foreach(ex->columns, i, n) {
			const char *name = json_string_value(n);
			json_t *fd = form_field(f, name), *v = json_object_get(data, name);
			json_t *shown = v && ex->mode == DEIDENTIFIED ? deid_value(f, fd, v) : json_incref(v);
			rc = rc || put_value(ex, fd, shown);
			json_decref(shown);
		}
		return rc || fputs("\r\n", ex->fp) == EOF ? NRM_EIO : 0;
	}
	json_t *al = json_pack("{s:s}", "al_stage", str_of(row, "stage"));
	json_t *o = json_pack("{s:s}", "caseId", id), *detail = json_object();
	if (ex->mode == DEIDENTIFIED)
		json_object_set(al, "al_age_band", json_object_get(row, "age_band"));
	else
		json_object_set(al, "al_holder", json_object_get(row, "holder"));
	json_array_foreach(ex->columns, i, n) {
		const char *name = json_string_value(n);
		json_t *fd = form_field(f, name), *v = json_object_get(data, name);
		if (!v || json_is_null(v))
			continue;
		if (strncmp(name, "al_", 3) == 0)
			json_object_set_new(al, name, ex->mode == DEIDENTIFIED ? deid_value(f, fd, v) : json_incref(v));
		else if (ex->mode == DEIDENTIFIED) {
			json_t *d = deid_value(f, fd, v);
			htcds_put(ex->htcds_doc, f, fd, name, d, o, detail);
			json_decref(d);
		} else {
			htcds_put(ex->htcds_doc, f, fd, name, v, o, detail);
		}
	}
	if (json_object_size(detail))
		json_object_set(al, "al_detail", detail);
	json_decref(detail);
	json_object_set_new(o, "al", al);
	if (ex->written && fputs(",\n", ex->fp) == EOF)
		rc = NRM_EIO;
	if (!rc && json_dumpf(o, ex->fp, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0)
		rc = NRM_EIO;
	json_decref(o);
	return rc;
}

/* Reads one case (and its personal fields when asked and allowed) and writes it. A case no
 * longer visible is left out. */
static int export_case(struct export *ex, const char *code, struct nrm_err *err)
{
	struct nrm_ctx *c = &ex->cc->ctx;
	json_t *row = NULL, *pers = NULL, *data = NULL;
	int rc = case_get(c, code, &row, err);
	if (rc == NRM_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	data = json_deep_copy(json_object_get(row, "fields"));
	if (ex->mode == PERSONAL && strcmp(str_of(row, "your_access"), "full") == 0) {
		if ((rc = case_personal(c, code, ex->reason, &pers, err)))
			goto done;
		json_object_update(data, json_object_get(pers, "fields"));
		ex->personal++;
	}
	if ((rc = write_case(ex, row, data)))
		nrm_fail(err, rc, KEY_cannot_write, NULL, "path", "the export", NULL);
	else
		ex->written++;
done:
	json_decref(pers);
	json_decref(data);
	json_decref(row);
	return rc;
}

/* The codes of every case the user may see, oldest first; *n of them. */
static int list_codes(struct export *ex, char ***out, size_t *n, struct nrm_err *err)
{
	char **codes = NULL;
	size_t count = 0, cap = 0;
	int64_t before = 0;
	int rc;
	for (;;) {
		struct case_filter f = {.child = -1};
		json_t *page;
		if ((rc = case_list(&ex->cc->ctx, &f, before, 500, &page, err)))
			goto fail;
		size_t i, got = json_array_size(page);
		json_t *r;
		json_array_foreach(page, i, r) {
			if (count == cap) {
				char **more = realloc(codes, (cap = cap ? cap * 2 : 512) * sizeof *codes);
				if (!more) {
					json_decref(page);
					rc = nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
					goto fail;
				}
				codes = more;
			}
			if (!(codes[count] = strdup(str_of(r, "code")))) {
				json_decref(page);
				rc = nrm_fail(err, NRM_ENOMEM, KEY_internal, NULL, NULL);
				goto fail;
			}
			count++;
			before = json_integer_value(json_object_get(r, "id"));
		}
		json_decref(page);
		if (got < 500)
			break;
	}
	for (size_t i = 0; i < count / 2; i++) {
		char *t = codes[i];
		codes[i] = codes[count - 1 - i];
		codes[count - 1 - i] = t;
	}
	*out = codes;
	*n = count;
	return 0;
fail:
	while (count)
		free(codes[--count]);
	free(codes);
	return rc;
}

/* Records in random order, so the order gives away no code (research extract). */
static void shuffle(char **codes, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = randombytes_uniform((uint32_t)i);
		char *t = codes[i - 1];
		codes[i - 1] = codes[j];
		codes[j] = t;
	}
}

static int export_audit(struct export *ex, const char *format, size_t count)
{
	struct store *db = ex->cc->db;
	json_t *after = json_pack("{s:s, s:I, s:b, s:b}", "format", format, "count", (json_int_t)count, "personal",
				  ex->mode == PERSONAL, "deidentified", ex->mode == DEIDENTIFIED);
	char *sealed = NULL;
	char ctx[64];
	crypt_reason_context(ctx, NULL);
	int rc = ex->reason ? crypt_seal_text(ex->cc->keys, ctx, ex->reason, &sealed) : 0;
	if (!rc)
		rc = store_begin(db);
	if (!rc)
		rc = secure_audit(db, &ex->cc->me, "export", "cases", NULL, NULL, after, sealed);
	free(sealed);
	if (!rc)
		rc = store_commit(db);
	if (rc)
		store_rollback(db);
	json_decref(after);
	return rc;
}

static int export_cases(int argc, char **argv)
{
	const char *db = "nrm.db", *as = NULL, *format = "csv", *reason = NULL, *out = NULL;
	bool personal = false, deid = false;
	const struct cli_opt opts[] = {{"db", &db, NULL},	    {"as", &as, NULL},	     {"format", &format, NULL},
				       {"personal", NULL, &personal}, {"reason", &reason, NULL}, {"deidentified", NULL, &deid},
				       {"out", &out, NULL},	    {NULL, NULL, NULL}};
	int rc = cli_parse("export", argc, argv, opts);
	if (rc)
		return CLI_EXIT(rc);
	if (!as)
		return cli_error("export", EXIT_USAGE, "--as USERNAME is required: the user the export is made for");
	if (strcmp(format, "csv") != 0 && strcmp(format, "htcds") != 0)
		return cli_error("export", EXIT_USAGE, "--format must be csv or htcds");
	if (personal && deid)
		return cli_error("export", EXIT_USAGE, "--personal and --deidentified exclude each other");
	/* "--reason -": the reason from standard input, out of the process list and shell history. */
	char line[520];
	if (reason && strcmp(reason, "-") == 0) {
		if (!fgets(line, sizeof line, stdin))
			return cli_error("export", EXIT_USAGE, "--reason -: no reason on standard input");
		line[strcspn(line, "\r\n")] = '\0';
		reason = line;
	}
	if (personal && (!reason || !*reason))
		return cli_error("export", EXIT_USAGE,
				 "--personal needs --reason TEXT (or --reason - to read it from standard input): why the personal "
				 "data is exported");
	if (reason && !personal)
		return cli_error("export", EXIT_USAGE, "--reason goes with --personal");
	if (reason && strlen(reason) > 500)
		return cli_error("export", EXIT_USAGE, "--reason is longer than 500 characters");
	if (out && !*out)
		return cli_error("export", EXIT_USAGE, "--out needs a file name");
	struct cli_cases cc;
	if ((rc = cli_cases_open("export", db, as, &cc)))
		return rc;
	struct export ex = {.cc = &cc, .htcds = strcmp(format, "htcds") == 0, .reason = reason, .fp = stdout,
			    .mode = personal ? PERSONAL : deid ? DEIDENTIFIED : PLAIN, .columns = json_array()};
	struct nrm_err err = {0};
	char **codes = NULL, *tmp = NULL;
	size_t ncodes = 0;
	enum role r = cc.me.role;
	if (!case_role_reads_cases(r)) {
		rc = cli_error("export", EXIT_USAGE, "the role of %s sees aggregate figures only, not cases", as);
		goto done;
	}
	if (personal && !(role_is_authority(r) || r == ROLE_CASEWORKER)) {
		rc = cli_error("export", EXIT_USAGE, "the role of %s may not export personal data", as);
		goto done;
	}
	if (ex.htcds && (rc = htcds_load(cc.db, &ex.htcds_doc, &err))) {
		rc = cli_fail("export", &err);
		goto done;
	}
	size_t i;
	json_t *n;
	json_array_foreach(form_field_names(cc.form), i, n)
		if (wanted(cc.form, json_string_value(n), ex.mode))
			json_array_append(ex.columns, n);
	if ((rc = list_codes(&ex, &codes, &ncodes, &err))) {
		rc = cli_error("export", cli_exit_of(rc), "%s", err.msg[0] ? err.msg : "cannot read the cases");
		goto done;
	}
	if (ex.mode == DEIDENTIFIED)
		shuffle(codes, ncodes);
	if (out) {
		size_t len = strlen(out) + 8;
		int fd;
		if (!(tmp = malloc(len)) || snprintf(tmp, len, "%s.XXXXXX", out) < 0 || (fd = mkstemp(tmp)) < 0) {
			free(tmp);
			tmp = NULL;
			rc = cli_error("export", EXIT_USAGE, "cannot write beside %s", out);
			goto done;
		}
		if (!(ex.fp = fdopen(fd, "w"))) {
			close(fd);
			rc = cli_error("export", EXIT_RUNTIME, "cannot write %s", out);
			goto done;
		}
	}
	if (export_audit(&ex, format, ncodes)) {
		rc = cli_error("export", EXIT_RUNTIME, "cannot write the audit row; nothing was exported");
		goto done;
	}
	rc = ex.htcds ? (fputs("[\n", ex.fp) == EOF ? NRM_EIO : 0) : csv_header(&ex);
	for (i = 0; !rc && i < ncodes; i++)
		rc = export_case(&ex, codes[i], &err);
	if (!rc && ex.htcds && fputs(ex.written ? "\n]\n" : "]\n", ex.fp) == EOF)
		rc = NRM_EIO;
	if (!rc && fflush(ex.fp) != 0)
		rc = NRM_EIO;
	if (rc) {
		rc = cli_error("export", EXIT_RUNTIME, "%s", err.msg[0] ? err.msg : "cannot write the export");
		goto done;
	}
	if (out) {
		int bad = fsync(fileno(ex.fp)) != 0;
		bad |= fclose(ex.fp) != 0;
		ex.fp = NULL;
		if (bad || rename(tmp, out) != 0) {
			rc = cli_error("export", EXIT_RUNTIME, "cannot write %s", out);
			goto done;
		}
		free(tmp);
		tmp = NULL;
		printf("exported %zu case%s to %s", ex.written, ex.written == 1 ? "" : "s", out);
		if (personal)
			printf(" (personal data of %zu)", ex.personal);
		printf("\n");
	}
	rc = EXIT_OK;
done:
	if (ex.fp && ex.fp != stdout)
		fclose(ex.fp);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	while (ncodes)
		free(codes[--ncodes]);
	free(codes);
	json_decref(ex.columns);
	json_decref(ex.htcds_doc);
	cli_cases_close(&cc);
	return rc;
}

int cmd_export(int argc, char **argv)
{
	if (argc < 1 || strcmp(argv[0], "cases") != 0)
		return cli_error("export", EXIT_USAGE, "expected: nrm export cases --as USERNAME (see nrm --help)");
	return export_cases(argc - 1, argv + 1);
}
