/* Tables as CSV and XLSX. libxlsxwriter writes to a file: a private temporary one, read back
 * and removed. */
#include "render/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

int render_csv_field(struct buf *b, const char *s, bool first)
{
	int rc = first ? 0 : buf_puts(b, ",");
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	/* A cell a spreadsheet would take for a formula gets a ' first, inside the quotes. */
	bool defuse = s[0] && strchr("=+-@\t\r", s[0]);
	if (!rc && quote)
		rc = buf_puts(b, "\"");
	if (!rc && defuse)
		rc = buf_puts(b, "'");
	for (const char *p = s; !rc && *p; p++)
		rc = *p == '"' ? buf_puts(b, "\"\"") : buf_append(b, p, 1);
	if (!rc && quote)
		rc = buf_puts(b, "\"");
	return rc;
}

/* A cell as text. */
static const char *text(json_t *v, char tmp[32])
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		snprintf(tmp, 32, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(tmp, 32, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(tmp, 32, "%s", json_is_true(v) ? "true" : "false");
	else
		tmp[0] = 0;
	return tmp;
}

int render_csv(json_t *sheet, struct buf *out)
{
	int rc = buf_puts(out, "\xEF\xBB\xBF");
	size_t i, j;
	json_t *v, *row;
	char tmp[32];
	json_array_foreach(json_object_get(sheet, "columns"), i, v)
		rc = rc || render_csv_field(out, text(v, tmp), i == 0);
	rc = rc || buf_puts(out, "\r\n");
	json_array_foreach(json_object_get(sheet, "rows"), i, row) {
		json_array_foreach(row, j, v)
			rc = rc || render_csv_field(out, text(v, tmp), j == 0);
		rc = rc || buf_puts(out, "\r\n");
	}
	return rc ? NRM_ENOMEM : 0;
}

/* A sheet's name as Excel takes it: at most 31 characters (UTF-8 cut whole), none of []:*?/\ */
static void sheet_name(const char *in, char out[128])
{
	size_t n = 0, chars = 0;
	for (const char *p = in ? in : ""; *p && n < 127; p++) {
		bool lead = ((unsigned char)*p & 0xc0) != 0x80;
		if (lead && ++chars > 31)
			break;
		out[n++] = strchr("[]:*?/\\", *p) ? '_' : *p;
	}
	out[n] = 0;
}

static int write_book(json_t *sheets, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return NRM_EIO;
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	size_t s, i, j;
	json_t *sheet, *v, *row;
	json_array_foreach(sheets, s, sheet) {
		char name[128];
		sheet_name(json_string_value(json_object_get(sheet, "name")), name);
		lxw_worksheet *ws = workbook_add_worksheet(wb, name);
		if (!ws)
			break;
		char tmp[32];
		json_array_foreach(json_object_get(sheet, "columns"), i, v) {
			worksheet_write_string(ws, 0, (lxw_col_t)i, text(v, tmp), bold);
			worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, 18, NULL);
		}
		json_array_foreach(json_object_get(sheet, "rows"), i, row) json_array_foreach(row, j, v) {
			lxw_row_t r = (lxw_row_t)(i + 1);
			lxw_col_t col = (lxw_col_t)j;
			if (json_is_number(v))
				worksheet_write_number(ws, r, col, json_number_value(v), NULL);
			else if (json_is_boolean(v))
				worksheet_write_boolean(ws, r, col, json_is_true(v), NULL);
			else if (json_is_string(v))
				worksheet_write_string(ws, r, col, json_string_value(v), NULL);
		}
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : NRM_EIO;
}

int render_xlsx(json_t *sheets, struct buf *out, struct nrm_err *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/nrm-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return nrm_fail(err, NRM_EIO, KEY_cannot_write, NULL, "path", path, NULL);
	close(fd);
	int rc = write_book(sheets, path);
	FILE *f = rc ? NULL : fopen(path, "rb");
	if (!rc && !f)
		rc = NRM_EIO;
	char chunk[65536];
	size_t n;
	while (f && !rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		rc = buf_append(out, chunk, n) ? NRM_ENOMEM : 0;
	if (f)
		fclose(f);
	unlink(path);
	return rc ? nrm_fail(err, rc, KEY_internal, NULL, NULL) : 0;
}
