/* A report as CSV and XLSX: its heading, each section with what was written and its tables,
 * numbered in order ("Tabela 3"), hidden figures as the symbol with the legend. PDF comes with
 * cairo and pango (issue 12). */
#include <stdio.h>
#include <string.h>

#include "render/pdf.h"
#include "render/table.h"
#include "report/internal.h"
#include "stats/stats.h"

static const char *lab(json_t *label, const char *lang)
{
	if (json_is_string(label))
		return json_string_value(label);
	const char *s = json_string_value(json_object_get(label, lang));
	return s ? s : "";
}

/* A table's cells in lang: labels as text, numbers as numbers (a new array). */
static json_t *cells(json_t *r, const char *lang)
{
	json_t *out = json_array(), *v;
	size_t i;
	json_array_foreach(r, i, v)
		json_array_append_new(out, json_is_object(v) ? json_string(lab(v, lang)) : json_incref(v));
	return out;
}

static json_t *columns(json_t *t, const char *lang)
{
	return cells(json_object_get(t, "columns"), lang);
}

/* The heading lines of a report. */
static json_t *heading(json_t *r, const char *lang)
{
	bool en = strcmp(lang, "en") == 0;
	json_t *rows = json_array();
	char line[400];
	json_array_append_new(rows, json_pack("[s]", en ? "REPUBLIC OF ALBANIA" : "REPUBLIKA E SHQIPËRISË"));
	json_t *issuer = json_object_get(r, "issuer");
	const char *name = json_string_value(json_object_get(issuer, en ? "name_en" : "name"));
	json_array_append_new(rows, json_pack("[s]", name && *name ? name : (en ? "Ministry of Interior" : "Ministria e Brendshme")));
	json_array_append_new(rows, json_pack("[s]", lab(json_object_get(r, "label"), lang)));
	snprintf(line, sizeof line, "%s %s (%s – %s); %s %s", en ? "Period" : "Periudha", j_str(r, "period"), j_str(r, "first"),
		 j_str(r, "last"), en ? "due" : "afati", j_str(r, "due"));
	json_array_append_new(rows, json_pack("[s]", line));
	json_array_append_new(rows, json_pack("[s]", en ? "Confidential: for official use" : "Konfidenciale: për përdorim zyrtar"));
	return rows;
}

static int csv_line(struct buf *b, json_t *row)
{
	size_t i;
	json_t *v;
	int rc = 0;
	char num[32];
	json_array_foreach(row, i, v) {
		const char *s = json_is_string(v) ? json_string_value(v) : "";
		if (json_is_integer(v)) {
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
			s = num;
		}
		rc = rc || render_csv_field(b, s, i == 0);
	}
	return rc || buf_puts(b, "\r\n");
}

/* The lines of an approved version's signature block, or an empty array. */
static json_t *signature_lines(json_t *r, const char *lang)
{
	bool en = strcmp(lang, "en") == 0;
	json_t *sig = json_object_get(r, "signature"), *lines = json_array();
	char line[300];
	if (!sig)
		return lines;
	snprintf(line, sizeof line, "%s %lld, %s %s", en ? "Version" : "Versioni", (long long)j_int(sig, "version"),
		 en ? "approved on" : "miratuar më", j_str(sig, "approved_at"));
	json_array_append_new(lines, json_string(line));
	if (*j_str(sig, "reason")) {
		snprintf(line, sizeof line, "%s: %s", en ? "Correction" : "Korrigjim", j_str(sig, "reason"));
		json_array_append_new(lines, json_string(line));
	}
	snprintf(line, sizeof line, "SHA-256: %s", j_str(sig, "hash"));
	json_array_append_new(lines, json_string(line));
	snprintf(line, sizeof line, "%s (Ed25519): %s", en ? "Signature" : "Nënshkrimi", j_str(sig, "signature"));
	json_array_append_new(lines, json_string(line));
	snprintf(line, sizeof line, "%s: %s", en ? "Key" : "Çelësi", j_str(sig, "public_key"));
	json_array_append_new(lines, json_string(line));
	json_array_append_new(lines, json_string(en ? "Check it with: nrm report verify FILE" : "Verifikohet me: nrm report verify SKEDARI"));
	return lines;
}

/* The report as a document for render/pdf.h. */
static int pdf_of(json_t *r, const char *lang, struct buf *out, struct nrm_err *err)
{
	bool en = strcmp(lang, "en") == 0;
	json_t *blocks = json_array(), *sec, *t, *x;
	size_t i, j, k;
	int number = 0;
	char title[400], sub[300];
	json_array_foreach(json_object_get(r, "sections"), i, sec) {
		bool figures = strcmp(j_str(sec, "kind"), "case_figures") == 0 || strcmp(j_str(sec, "kind"), "register_figures") == 0;
		json_array_append_new(blocks, json_pack("{s:s, s:s}", "kind", "h1", "text", lab(json_object_get(sec, "label"), lang)));
		if (json_object_get(sec, "text"))
			json_array_append_new(blocks, json_pack("{s:s, s:s}", "kind", "p", "text",
								*j_str(sec, "text") ? j_str(sec, "text") : "—"));
		if (json_object_get(sec, "withheld"))
			json_array_append_new(blocks, json_pack("{s:s, s:s}", "kind", "p", "text",
								en ? "(figures not available for this period and audience)"
								   : "(shifrat nuk jepen për këtë periudhë dhe audiencë)"));
		json_array_foreach(json_object_get(sec, "tables"), j, t) {
			snprintf(title, sizeof title, "%s %d. %s", en ? "Table" : "Tabela", ++number,
				 lab(json_object_get(t, "title"), lang));
			json_t *rows = json_array();
			json_array_foreach(json_object_get(t, "rows"), k, x)
				json_array_append_new(rows, cells(x, lang));
			json_array_append_new(blocks, json_pack("{s:s, s:s, s:o, s:o, s:b}", "kind", "table", "title", title,
								"columns", columns(t, lang), "rows", rows, "chart",
								figures && json_array_size(json_object_get(t, "rows")) > 1));
		}
	}
	json_array_append_new(blocks, json_pack("{s:s, s:s}", "kind", "p", "text", en ? STATS_LEGEND_EN : STATS_LEGEND_SQ));
	json_t *lines = signature_lines(r, lang), *line;
	if (json_array_size(lines))
		json_array_append_new(blocks, json_pack("{s:s, s:s}", "kind", "h1", "text",
							en ? "Approval and signature" : "Miratimi dhe nënshkrimi"));
	json_array_foreach(lines, i, line)
		json_array_append_new(blocks, json_pack("{s:s, s:O}", "kind", "p", "text", line));
	json_decref(lines);
	json_t *issuer = json_object_get(r, "issuer");
	const char *name = json_string_value(json_object_get(issuer, en ? "name_en" : "name"));
	snprintf(sub, sizeof sub, "%s %s (%s – %s) · %s %s", en ? "Period" : "Periudha", j_str(r, "period"), j_str(r, "first"),
		 j_str(r, "last"), en ? "due" : "afati", j_str(r, "due"));
	json_t *doc = json_pack("{s:[s, s], s:s, s:s, s:s, s:s, s:o}", "heading", en ? "REPUBLIC OF ALBANIA" : "REPUBLIKA E SHQIPËRISË",
				name && *name ? name : (en ? "Ministry of Interior" : "Ministria e Brendshme"), "title",
				lab(json_object_get(r, "label"), lang), "subtitle", sub, "marking",
				en ? "CONFIDENTIAL — for official use" : "KONFIDENCIALE — për përdorim zyrtar", "page",
				en ? "Page %d of %d" : "Faqe %d nga %d", "blocks", blocks);
	int rc = render_pdf(doc, out, err);
	json_decref(doc);
	return rc;
}

int report_render(json_t *r, const char *format, const char *lang, struct buf *out, struct nrm_err *err)
{
	lang = lang && strcmp(lang, "en") == 0 ? "en" : "sq";
	bool en = strcmp(lang, "en") == 0;
	json_t *front = heading(r, lang), *sheets = json_array(), *sec, *t;
	size_t i, j, k;
	int number = 0, rc = 0;
	char title[400];
	json_array_foreach(json_object_get(r, "sections"), i, sec) {
		json_array_append_new(front, json_pack("[s]", ""));
		json_array_append_new(front, json_pack("[s]", lab(json_object_get(sec, "label"), lang)));
		if (json_object_get(sec, "text"))
			json_array_append_new(front, json_pack("[s]", j_str(sec, "text")));
		if (json_object_get(sec, "withheld"))
			json_array_append_new(front, json_pack("[s]", en ? "(figures not available for this period and audience)"
									 : "(shifrat nuk jepen për këtë periudhë dhe audiencë)"));
		json_array_foreach(json_object_get(sec, "tables"), j, t) {
			snprintf(title, sizeof title, "%s %d. %s", en ? "Table" : "Tabela", ++number, lab(json_object_get(t, "title"), lang));
			json_array_append_new(front, json_pack("[s]", title));
			if (json_object_get(t, "withheld"))
				json_array_append_new(front, json_pack("[s]", en ? "(figures not available for this period and audience)"
										 : "(shifrat nuk jepen për këtë periudhë dhe audiencë)"));
			json_t *rows = json_array(), *x;
			json_array_foreach(json_object_get(t, "rows"), k, x)
				json_array_append_new(rows, cells(x, lang));
			char name[32];
			snprintf(name, sizeof name, "%s %d", en ? "Table" : "Tabela", number);
			json_array_append_new(sheets, json_pack("{s:s, s:o, s:o, s:s}", "name", name, "columns", columns(t, lang),
								"rows", rows, "title", title));
		}
	}
	json_array_append_new(front, json_pack("[s]", ""));
	json_array_append_new(front, json_pack("[s]", en ? STATS_LEGEND_EN : STATS_LEGEND_SQ));
	json_t *lines = signature_lines(r, lang), *line;
	json_array_foreach(lines, i, line)
		json_array_append_new(front, json_pack("[O]", line));
	json_decref(lines);
	if (strcmp(format, "pdf") == 0) {
		json_decref(front);
		json_decref(sheets);
		return pdf_of(r, lang, out, err);
	}
	if (strcmp(format, "xlsx") == 0) {
		json_array_insert_new(sheets, 0, json_pack("{s:s, s:[s], s:o}", "name", en ? "Report" : "Raporti", "columns",
							   lab(json_object_get(r, "label"), lang), "rows", front));
		rc = render_xlsx(sheets, out, err);
	} else {
		rc = buf_puts(out, "\xEF\xBB\xBF");
		json_t *x;
		json_array_foreach(front, i, x) {
			rc = rc || csv_line(out, x);
			/* Each numbered table right after the line that names it. */
			json_t *s2;
			json_array_foreach(sheets, j, s2) {
				if (!json_is_string(json_array_get(x, 0)) ||
				    strcmp(json_string_value(json_array_get(x, 0)), j_str(s2, "title")) != 0)
					continue;
				rc = rc || csv_line(out, json_object_get(s2, "columns"));
				json_array_foreach(json_object_get(s2, "rows"), k, t)
					rc = rc || csv_line(out, t);
			}
		}
		json_decref(front);
		rc = rc ? NRM_ENOMEM : 0;
	}
	json_decref(sheets);
	return rc;
}
