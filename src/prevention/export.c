/* A register's entries as a file for spreadsheets: one row per entry with its non-personal
 * fields (codes and references as their labels), and in XLSX one more sheet per repeating
 * group. Personal fields never leave this way, whoever asks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prevention/internal.h"
#include "render/table.h"

static const char *lab(json_t *label, const char *lang)
{
	const char *s = json_string_value(json_object_get(label, strcmp(lang, "en") == 0 ? "en" : "sq"));
	return s ? s : "";
}

/* A value as a cell: codes by label, references by name, numbers as numbers (a new reference). */
static json_t *cell(struct nrm_ctx *c, json_t *fd, json_t *v, json_t *names, const char *lang)
{
	const char *type = j_str(fd, "type"), *ref = j_str(fd, "ref");
	if (!v || json_is_null(v))
		return json_null();
	if (strcmp(type, "code") == 0) {
		json_t *l = reg_code_label(c, j_str(fd, "codelist"), json_string_value(v));
		return json_string(l ? lab(l, lang) : json_string_value(v));
	}
	if (strcmp(type, "codes") == 0) {
		struct buf b = {0};
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) {
			json_t *l = reg_code_label(c, j_str(fd, "codelist"), json_string_value(x));
			if (buf_puts(&b, i ? "; " : "") || buf_puts(&b, l ? lab(l, lang) : json_string_value(x)))
				break;
		}
		json_t *s = json_string(b.p ? b.p : "");
		buf_free(&b);
		return s;
	}
	if (strcmp(type, "boolean") == 0)
		return json_string(json_is_true(v) ? (strcmp(lang, "en") == 0 ? "yes" : "po")
						   : (strcmp(lang, "en") == 0 ? "no" : "jo"));
	if (*ref && json_is_integer(v)) {
		char key[64];
		snprintf(key, sizeof key, "%s:%lld", strncmp(ref, "entry:", 6) == 0 ? "entry" : ref,
			 (long long)json_integer_value(v));
		json_t *name = json_object_get(names, key);
		return name ? json_incref(name) : json_incref(v);
	}
	return json_incref(v);
}

int reg_export(struct nrm_ctx *c, const char *reg, const struct reg_filter *f, const char *format, const char *lang,
	       struct buf *out, char **name, struct nrm_err *err)
{
	if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0))
		return nrm_fail(err, NRM_EINVAL, KEY_export_format, "format", NULL);
	lang = lang && strcmp(lang, "en") == 0 ? "en" : "sq";
	struct reg_def *d;
	json_t *rows;
	int rc = reg_rows(c, reg, f, &d, &rows, err);
	if (rc)
		return rc;
	json_t *main_cols = json_pack("[s]", strcmp(lang, "en") == 0 ? "Code" : "Kodi");
	json_t *sheets = json_array(), *main_rows = json_array(), *groups = json_object();
	json_t *names = form_field_names(d->form), *n;
	size_t i, j;
	json_array_foreach(names, i, n) {
		json_t *fd = form_field(d->form, json_string_value(n));
		if (form_is_personal(d->form, json_string_value(n)))
			continue;
		json_array_append_new(main_cols, json_string(lab(json_object_get(fd, "label"), lang)));
		if (strcmp(j_str(fd, "type"), "group") == 0) {
			json_t *cols = json_pack("[s]", strcmp(lang, "en") == 0 ? "Code" : "Kodi"), *sf;
			json_array_foreach(json_object_get(fd, "fields"), j, sf)
				json_array_append_new(cols, json_string(lab(json_object_get(sf, "label"), lang)));
			json_object_set_new(groups, json_string_value(n),
					    json_pack("{s:s, s:o, s:[]}", "name", lab(json_object_get(fd, "label"), lang),
						      "columns", cols, "rows"));
		}
	}
	json_t *r;
	json_array_foreach(rows, i, r) {
		if (!reg_may_read(c, d, r))
			continue;
		json_t *fields = json_object_get(r, "fields"), *refs = reg_ref_names(c, d, fields);
		json_t *line = json_pack("[O]", json_object_get(r, "code"));
		json_array_foreach(names, j, n) {
			const char *fname = json_string_value(n);
			json_t *fd = form_field(d->form, fname), *v = json_object_get(fields, fname);
			if (form_is_personal(d->form, fname))
				continue;
			if (strcmp(j_str(fd, "type"), "group") != 0) {
				json_array_append_new(line, cell(c, fd, v, refs, lang));
				continue;
			}
			json_array_append_new(line, json_integer((json_int_t)json_array_size(v)));
			size_t k, m;
			json_t *item, *sf;
			json_array_foreach(v, k, item) {
				json_t *sub = json_pack("[O]", json_object_get(r, "code"));
				json_array_foreach(json_object_get(fd, "fields"), m, sf)
					json_array_append_new(sub, cell(c, sf, json_object_get(item, j_str(sf, "name")), refs, lang));
				json_array_append_new(json_object_get(json_object_get(groups, fname), "rows"), sub);
			}
		}
		json_array_append_new(main_rows, line);
		json_decref(refs);
	}
	json_decref(rows);
	json_array_append_new(sheets, json_pack("{s:s, s:o, s:o}", "name", reg_def_label(d, lang), "columns", main_cols,
						"rows", main_rows));
	const char *gk;
	json_t *g;
	json_object_foreach(groups, gk, g)
		json_array_append(sheets, g);
	json_decref(groups);
	rc = strcmp(format, "csv") == 0 ? render_csv(json_array_get(sheets, 0), out) : render_xlsx(sheets, out, err);
	json_decref(sheets);
	if (!rc) {
		char file[160];
		snprintf(file, sizeof file, "%s%s%s.%s", d->name, f->period && *f->period ? "-" : "",
			 f->period ? f->period : "", format);
		*name = strdup(file);
		if (!*name)
			rc = NRM_ENOMEM;
	}
	reg_def_free(d);
	return rc;
}
