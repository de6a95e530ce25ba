/* A released table as CSV, for spreadsheets: the figures exactly as released, hidden ones as
 * the symbol, with the legend. */
#include <string.h>

#include "render/table.h"
#include "stats/internal.h"

static const char *lab(const json_t *label, const char *lang)
{
	const char *s = json_string_value(json_object_get(label, strcmp(lang, "en") == 0 ? "en" : "sq"));
	return s ? s : "";
}

int stats_table_csv(const json_t *t, const char *lang, struct buf *out)
{
	bool en = strcmp(lang, "en") == 0;
	int rc = render_csv_field(out, lab(json_object_get(t, "label"), lang), true) || buf_puts(out, ",") ||
		 render_csv_field(out, json_string_value(json_object_get(t, "period")), true) || buf_puts(out, "\r\n") ||
		 render_csv_field(out, "", true);
	size_t i, j;
	json_t *col, *blk, *row, *cell;
	json_array_foreach(json_object_get(t, "columns"), i, col)
		rc = rc || render_csv_field(out, lab(json_object_get(col, "label"), lang), false);
	rc = rc || buf_puts(out, "\r\n");
	json_array_foreach(json_object_get(t, "blocks"), i, blk) {
		if (json_object_get(blk, "label"))
			rc = rc || render_csv_field(out, lab(json_object_get(blk, "label"), lang), true) || buf_puts(out, "\r\n");
		json_array_foreach(json_object_get(blk, "rows"), j, row) {
			const char *name = lab(json_object_get(row, "label"), lang);
			struct buf indented = {0};
			rc = rc || (json_integer_value(json_object_get(row, "level")) > 0 && buf_puts(&indented, "  ")) ||
			     buf_puts(&indented, name) || render_csv_field(out, indented.p ? indented.p : "", true);
			buf_free(&indented);
			size_t m;
			json_array_foreach(json_object_get(row, "cells"), m, cell) {
				char num[32];
				if (json_is_integer(cell))
					snprintf(num, sizeof num, "%lld", (long long)json_integer_value(cell));
				else
					snprintf(num, sizeof num, "%s", json_string_value(cell));
				rc = rc || render_csv_field(out, num, false);
			}
			rc = rc || buf_puts(out, "\r\n");
		}
		if (json_object_get(blk, "note"))
			rc = rc || render_csv_field(out, lab(json_object_get(blk, "note"), lang), true) || buf_puts(out, "\r\n");
	}
	if (json_integer_value(json_object_get(t, "hidden")) > 0)
		rc = rc || render_csv_field(out, en ? STATS_LEGEND_EN : STATS_LEGEND_SQ, true) || buf_puts(out, "\r\n");
	return rc ? NRM_ENOMEM : 0;
}
