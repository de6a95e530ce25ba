/* Plain tables as files officials open: CSV (RFC 4180, UTF-8 with a BOM, formula-like cells
 * defused) and XLSX (libxlsxwriter; numbers as numbers). A sheet is
 * {"name", "columns": ["label", ...], "rows": [[cell, ...], ...]}; a cell is a string, an
 * integer or real, true/false, or null (empty). */
#ifndef NRM_RENDER_TABLE_H
#define NRM_RENDER_TABLE_H

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "core/err.h"

/* Appends one CSV field (quoted when it must be; a leading = + - @ gets a ' first). */
int render_csv_field(struct buf *b, const char *s, bool first);
/* One sheet as CSV, BOM first. */
int render_csv(json_t *sheet, struct buf *out);
/* A workbook of sheets (names cut to Excel's 31 characters). */
int render_xlsx(json_t *sheets, struct buf *out, struct nrm_err *err);

#endif
