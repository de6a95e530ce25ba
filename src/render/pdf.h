/* Documents as A4 PDF, typeset with cairo and pango (Albanian diacritics, line breaking):
 * a heading, headings and paragraphs, numbered tables that run over pages with their header
 * repeated, a bar chart beside a table of figures, a marking and "page N of M" on every page.
 *
 * The document: {"heading": ["REPUBLIKA E SHQIPËRISË", "issuer", ...], "title", "subtitle"?,
 * "marking" (top of every page), "page" (e.g. "Faqe %d nga %d"), "blocks": [
 *   {"kind": "h1"|"p", "text"},
 *   {"kind": "table", "title", "columns": ["", ...], "rows": [["label", cell...], ...],
 *    "chart": true?}  — cells are text, or numbers printed right-aligned; a chart draws the
 *    rows' first numeric cells as bars (hidden ones, text, left out)]}. */
#ifndef NRM_RENDER_PDF_H
#define NRM_RENDER_PDF_H

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"

int render_pdf(json_t *doc, struct buf *out, struct nrm_err *err);

#endif
