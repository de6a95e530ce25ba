/* The scorecard as files for the Ministry: XLSX and CSV (render/table.h) and an A4 PDF
 * (render/pdf.h), with the indicators' labels and definitions of data/monitor/scorecard.json in
 * the language asked. */
#include "monitor/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/input.h"
#include "render/pdf.h"
#include "render/table.h"

/* A value as a cell: numbers as numbers, a county's flag as yes/no, nothing as "–". */
static json_t *cell(json_t *ind, json_t *v, bool county_row, bool en)
{
	if (json_is_null(v) || !v)
		return json_string("–");
	if (county_row && strcmp(j_str(ind, "unit"), "flag") == 0)
		return json_string(json_is_true(v) || json_integer_value(v) ? (en ? "yes" : "po") : (en ? "no" : "jo"));
	return json_incref(v);
}

/* Counties × the indicators of `group` (NULL: all): {"name", "columns", "rows"} with the national
 * row last when there is one. */
static json_t *sheet(json_t *sc, const char *group, const char *name, const char *lang)
{
	bool en = strcmp(lang, "en") == 0;
	json_t *cols = json_array(), *rows = json_array(), *ind, *r;
	size_t i, j;
	json_array_append_new(cols, json_string(en ? "County" : "Qarku"));
	json_array_foreach(json_object_get(sc, "indicators"), i, ind)
		if (!group || strcmp(j_str(ind, "group"), group) == 0)
			json_array_append_new(cols, json_string(monitor_text(json_object_get(ind, "label"), lang)));
	json_array_foreach(json_object_get(sc, "rows"), j, r) {
		json_t *row = json_pack("[s]", en ? j_str(r, "name_en") : j_str(r, "name"));
		json_array_foreach(json_object_get(sc, "indicators"), i, ind)
			if (!group || strcmp(j_str(ind, "group"), group) == 0)
				json_array_append_new(row, cell(ind, json_object_get(json_object_get(r, "values"), j_str(ind, "id")),
								true, en));
		json_array_append_new(rows, row);
	}
	json_t *nat = json_object_get(sc, "national");
	if (json_is_object(nat)) {
		json_t *row = json_pack("[s]", en ? "National" : "Kombëtare");
		json_array_foreach(json_object_get(sc, "indicators"), i, ind)
			if (!group || strcmp(j_str(ind, "group"), group) == 0)
				json_array_append_new(row, cell(ind, json_object_get(json_object_get(nat, "values"), j_str(ind, "id")),
								false, en));
		json_array_append_new(rows, row);
	}
	return json_pack("{s:s, s:o, s:o}", "name", name, "columns", cols, "rows", rows);
}

static json_t *types_sheet(json_t *sc, const char *lang)
{
	bool en = strcmp(lang, "en") == 0;
	json_t *bt = json_object_get(sc, "by_institution_type"), *cols = json_array(), *rows = json_array(), *c, *r;
	size_t i, j;
	json_array_append_new(cols, json_string(en ? "Institution type" : "Lloji i institucionit"));
	json_array_foreach(json_object_get(bt, "columns"), i, c)
		json_array_append_new(cols, json_string(monitor_text(json_object_get(c, "label"), lang)));
	json_array_foreach(json_object_get(bt, "rows"), j, r) {
		json_t *row = json_pack("[s]", monitor_text(json_object_get(r, "label"), lang));
		json_array_foreach(json_object_get(bt, "columns"), i, c) {
			json_t *v = json_object_get(json_object_get(r, "values"), j_str(c, "id"));
			json_array_append_new(row, json_is_null(v) || !v ? json_string("–") : json_incref(v));
		}
		json_array_append_new(rows, row);
	}
	return json_pack("{s:s, s:o, s:o}", "name", en ? "By institution type" : "Sipas llojit të institucionit", "columns",
			 cols, "rows", rows);
}

static json_t *definitions_sheet(json_t *sc, const char *lang)
{
	bool en = strcmp(lang, "en") == 0;
	json_t *rows = json_array(), *ind;
	size_t i;
	json_array_foreach(json_object_get(sc, "indicators"), i, ind)
		json_array_append_new(rows, json_pack("[s, s, s]", j_str(ind, "id"), monitor_text(json_object_get(ind, "label"), lang),
						      monitor_text(json_object_get(ind, "about"), lang)));
	return json_pack("{s:s, s:[s, s, s], s:o}", "name", en ? "Definitions" : "Përkufizimet", "columns", "id",
			 en ? "Indicator" : "Treguesi", en ? "Definition" : "Përkufizimi", "rows", rows);
}

static json_t *pdf_table(json_t *sheet, const char *title, bool chart)
{
	return json_pack("{s:s, s:s, s:O, s:O, s:b}", "kind", "table", "title", title, "columns",
			 json_object_get(sheet, "columns"), "rows", json_object_get(sheet, "rows"), "chart", chart);
}

static int pdf_of(json_t *sc, const char *lang, struct buf *out, struct nrm_err *err)
{
	bool en = strcmp(lang, "en") == 0;
	json_t *blocks = json_array(), *g, *ind;
	size_t i, j;
	int number = 0;
	char title[300], sub[200];
	/* Meeting compliance first, drawn as bars (the rows' first number). */
	json_t *chart = json_pack("{s:s, s:[s, s], s:[]}", "name", "chart", "columns", en ? "County" : "Qarku",
				  en ? "Meeting compliance (%)" : "Përmbushja e mbledhjeve (%)", "rows");
	json_t *full = sheet(sc, NULL, "all", lang), *r;
	size_t k = 0;
	json_array_foreach(json_object_get(sc, "indicators"), i, ind)
		if (strcmp(j_str(ind, "id"), "meetings_compliance") == 0)
			k = i + 1;
	json_array_foreach(json_object_get(full, "rows"), j, r)
		json_array_append_new(json_object_get(chart, "rows"),
				      json_pack("[O, O]", json_array_get(r, 0), json_array_get(r, k)));
	snprintf(title, sizeof title, "%s %d. %s", en ? "Table" : "Tabela", ++number,
		 en ? "Meeting compliance by county (%)" : "Përmbushja e mbledhjeve sipas qarkut (%)");
	json_array_append_new(blocks, pdf_table(chart, title, true));
	json_decref(chart);
	json_array_foreach(json_object_get(sc, "groups"), i, g) {
		json_t *sh = sheet(sc, j_str(g, "id"), "g", lang);
		json_array_append_new(blocks, json_pack("{s:s, s:s}", "kind", "h1", "text", monitor_text(json_object_get(g, "label"), lang)));
		snprintf(title, sizeof title, "%s %d. %s", en ? "Table" : "Tabela", ++number,
			 monitor_text(json_object_get(g, "label"), lang));
		json_array_append_new(blocks, pdf_table(sh, title, false));
		json_decref(sh);
	}
	json_t *ts = types_sheet(sc, lang);
	json_array_append_new(blocks, json_pack("{s:s, s:s}", "kind", "h1", "text", j_str(ts, "name")));
	snprintf(title, sizeof title, "%s %d. %s", en ? "Table" : "Tabela", ++number, j_str(ts, "name"));
	json_array_append_new(blocks, pdf_table(ts, title, false));
	json_decref(ts);
	json_array_append_new(blocks, json_pack("{s:s, s:s}", "kind", "h1", "text", en ? "Definitions" : "Përkufizimet"));
	json_array_foreach(json_object_get(sc, "indicators"), i, ind) {
		char line[1200];
		snprintf(line, sizeof line, "%s: %s", monitor_text(json_object_get(ind, "label"), lang),
			 monitor_text(json_object_get(ind, "about"), lang));
		json_array_append_new(blocks, json_pack("{s:s, s:s}", "kind", "p", "text", line));
	}
	json_decref(full);
	snprintf(sub, sizeof sub, "%s %s (%s – %s); %s %s", en ? "Period" : "Periudha", j_str(sc, "period"), j_str(sc, "first"),
		 j_str(sc, "last"), en ? "seats and agreements on" : "vendet dhe marrëveshjet më", j_str(sc, "as_of"));
	json_t *doc = json_pack("{s:[s, s], s:s, s:s, s:s, s:s, s:o}", "heading", en ? "REPUBLIC OF ALBANIA" : "REPUBLIKA E SHQIPËRISË",
				en ? "Ministry of Interior" : "Ministria e Brendshme", "title",
				en ? "KRAT scorecard" : "Tabela e performancës së KRAT-eve", "subtitle", sub, "marking",
				en ? "For official use" : "Për përdorim zyrtar", "page", en ? "Page %d of %d" : "Faqe %d nga %d",
				"blocks", blocks);
	int rc = render_pdf(doc, out, err);
	json_decref(doc);
	return rc;
}

int monitor_scorecard_file(struct nrm_ctx *c, const char *period, const char *county, const char *format,
			   const char *lang, struct buf *out, char **name, struct nrm_err *err)
{
	if (!format || (strcmp(format, "xlsx") != 0 && strcmp(format, "pdf") != 0 && strcmp(format, "csv") != 0))
		return nrm_fail(err, NRM_EINVAL, KEY_scorecard_format, "format", NULL);
	lang = lang && strcmp(lang, "en") == 0 ? "en" : "sq";
	bool en = strcmp(lang, "en") == 0;
	json_t *sc;
	int rc = monitor_scorecard(c, period, county, &sc, err);
	if (rc)
		return rc;
	json_t *main = sheet(sc, NULL, en ? "Scorecard" : "Performanca", lang);
	if (strcmp(format, "csv") == 0) {
		rc = render_csv(main, out);
	} else if (strcmp(format, "xlsx") == 0) {
		json_t *sheets = json_pack("[O, o, o]", main, types_sheet(sc, lang), definitions_sheet(sc, lang));
		rc = render_xlsx(sheets, out, err);
		json_decref(sheets);
	} else {
		rc = pdf_of(sc, lang, out, err);
	}
	if (!rc) {
		char file[120];
		snprintf(file, sizeof file, "%s-%s%s%s.%s", en ? "krat-scorecard" : "performanca-krat", j_str(sc, "period"),
			 json_is_string(json_object_get(sc, "county")) ? "-" : "", j_str(sc, "county"), format);
		/* A range's ".." stays a file name. */
		for (char *p = file; *p; p++)
			if (*p == '/')
				*p = '-';
		*name = strdup(file);
		if (!*name)
			rc = NRM_ENOMEM;
	}
	json_decref(main);
	json_decref(sc);
	return rc;
}
