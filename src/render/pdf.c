/* A4 PDF with cairo and pango. The document is laid out twice: once to count the pages, once
 * to print "page N of M" on each. Pango's font map is per thread, so the server's threads may
 * render at once. */
#include "render/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdbool.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#define PAGE_W 595.0 /* A4 in points */
#define PAGE_H 842.0
#define MARGIN 56.0
#define FONT "DejaVu Sans"

struct pen {
	cairo_t *cr;
	double y;
	int page, pages;
	json_t *doc;
};

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
	return buf_append(closure, data, length) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_nowhere(void *closure, const unsigned char *data, unsigned int length)
{
	(void)closure;
	(void)data;
	(void)length;
	return CAIRO_STATUS_SUCCESS;
}

/* A layout of text in width (points), in FONT at size, bold or not, aligned. Freed by the caller. */
static PangoLayout *text(cairo_t *cr, const char *s, double width, double size, bool bold, PangoAlignment align)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, s ? s : "", -1);
	return l;
}

static double height_of(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void draw_at(cairo_t *cr, PangoLayout *l, double x, double y)
{
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
}

/* The marking above and the page number below, on the page begun now. */
static void page_furniture(struct pen *p)
{
	char num[80];
	const char *fmt = json_string_value(json_object_get(p->doc, "page"));
	snprintf(num, sizeof num, fmt ? fmt : "%d / %d", p->page, p->pages > 0 ? p->pages : p->page);
	PangoLayout *m = text(p->cr, json_string_value(json_object_get(p->doc, "marking")), PAGE_W - 2 * MARGIN, 8, true,
			      PANGO_ALIGN_RIGHT);
	draw_at(p->cr, m, MARGIN, MARGIN / 2);
	g_object_unref(m);
	PangoLayout *n = text(p->cr, num, PAGE_W - 2 * MARGIN, 8, false, PANGO_ALIGN_CENTER);
	draw_at(p->cr, n, MARGIN, PAGE_H - MARGIN / 2 - 8);
	g_object_unref(n);
}

/* Makes room for h points, beginning a new page when the rest of this one is too short. */
static bool room(struct pen *p, double h)
{
	if (p->y + h <= PAGE_H - MARGIN)
		return false;
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
	page_furniture(p);
	return true;
}

static void paragraph(struct pen *p, const char *s, double size, bool bold, PangoAlignment align, double after)
{
	PangoLayout *l = text(p->cr, s, PAGE_W - 2 * MARGIN, size, bold, align);
	double h = height_of(l);
	room(p, h);
	draw_at(p->cr, l, MARGIN, p->y);
	p->y += h + after;
	g_object_unref(l);
}

static const char *cell_text(json_t *v, char tmp[32])
{
	if (json_is_integer(v)) {
		snprintf(tmp, 32, "%lld", (long long)json_integer_value(v));
		return tmp;
	}
	if (json_is_real(v)) {
		snprintf(tmp, 32, "%.1f", json_real_value(v));
		return tmp;
	}
	return json_is_string(v) ? json_string_value(v) : "";
}

/* One row of a table: its cells, the first left-aligned in a wide column. */
static double table_row(struct pen *p, json_t *cells, double *widths, size_t n, bool header, bool draw)
{
	double h = 0, x = MARGIN;
	PangoLayout *ls[16] = {0};
	char tmp[32];
	for (size_t i = 0; i < n && i < 16; i++) {
		json_t *v = json_array_get(cells, i);
		ls[i] = text(p->cr, cell_text(v, tmp), widths[i] - 6, 8.5, header, i == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
		if (height_of(ls[i]) > h)
			h = height_of(ls[i]);
	}
	h += 6;
	if (draw) {
		if (header) {
			cairo_set_source_rgb(p->cr, 0.9, 0.92, 0.95);
			cairo_rectangle(p->cr, MARGIN, p->y, PAGE_W - 2 * MARGIN, h);
			cairo_fill(p->cr);
			cairo_set_source_rgb(p->cr, 0, 0, 0);
		}
		for (size_t i = 0; i < n && i < 16; i++) {
			draw_at(p->cr, ls[i], x + 3, p->y + 3);
			x += widths[i];
		}
		cairo_set_line_width(p->cr, 0.4);
		cairo_move_to(p->cr, MARGIN, p->y + h);
		cairo_line_to(p->cr, PAGE_W - MARGIN, p->y + h);
		cairo_stroke(p->cr);
	}
	for (size_t i = 0; i < n && i < 16; i++)
		g_object_unref(ls[i]);
	return h;
}

static void table(struct pen *p, json_t *t)
{
	json_t *cols = json_object_get(t, "columns"), *rows = json_object_get(t, "rows"), *r;
	size_t n = json_array_size(cols);
	if (!n)
		return;
	if (n > 16)
		n = 16;
	double widths[16], usable = PAGE_W - 2 * MARGIN;
	/* The first column holds the labels: it gets the room the figures do not need. */
	double first = n == 1 ? usable : n <= 3 ? usable * 0.6 : usable * 0.34;
	widths[0] = first;
	for (size_t i = 1; i < n; i++)
		widths[i] = (usable - first) / (double)(n - 1);
	PangoLayout *title = text(p->cr, json_string_value(json_object_get(t, "title")), usable, 9.5, true, PANGO_ALIGN_LEFT);
	double th = height_of(title) + 4, hh = table_row(p, cols, widths, n, true, false);
	room(p, th + hh + 20); /* a title is not left alone at the foot of a page */
	draw_at(p->cr, title, MARGIN, p->y);
	g_object_unref(title);
	p->y += th;
	p->y += table_row(p, cols, widths, n, true, true);
	size_t i;
	json_array_foreach(rows, i, r) {
		double h = table_row(p, r, widths, n, false, false);
		if (room(p, h))
			p->y += table_row(p, cols, widths, n, true, true);
		p->y += table_row(p, r, widths, n, false, true);
	}
	p->y += 10;
}

/* Bars of each row's first number (totals and hidden figures left out), up to 12 rows. */
static void chart(struct pen *p, json_t *t)
{
	json_t *rows = json_object_get(t, "rows"), *r;
	size_t i, k = 0;
	double max = 0;
	json_array_foreach(rows, i, r)
		if (json_is_integer(json_array_get(r, 1)) && k < 12) {
			double v = (double)json_integer_value(json_array_get(r, 1));
			max = v > max ? v : max;
			k++;
		}
	if (!k || max <= 0)
		return;
	double bar = 11, h = (double)k * (bar + 3) + 8, label_w = (PAGE_W - 2 * MARGIN) * 0.34,
	       scale = (PAGE_W - 2 * MARGIN - label_w - 40) / max;
	room(p, h);
	k = 0;
	json_array_foreach(rows, i, r) {
		json_t *v = json_array_get(r, 1);
		if (!json_is_integer(v) || k++ >= 12)
			continue;
		char tmp[32];
		PangoLayout *l = text(p->cr, json_string_value(json_array_get(r, 0)), label_w - 6, 7.5, false, PANGO_ALIGN_RIGHT);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_set_height(l, -1);
		draw_at(p->cr, l, MARGIN, p->y);
		g_object_unref(l);
		double w = (double)json_integer_value(v) * scale;
		cairo_set_source_rgb(p->cr, 0.20, 0.38, 0.62);
		cairo_rectangle(p->cr, MARGIN + label_w, p->y + 1, w, bar - 2);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		PangoLayout *n = text(p->cr, cell_text(v, tmp), 36, 7.5, false, PANGO_ALIGN_LEFT);
		draw_at(p->cr, n, MARGIN + label_w + w + 3, p->y);
		g_object_unref(n);
		p->y += bar + 3;
	}
	p->y += 8;
}

/* Lays the document out on surface; the number of pages it took. */
static int lay_out(cairo_surface_t *surface, json_t *doc, int pages)
{
	struct pen p = {.cr = cairo_create(surface), .y = MARGIN, .page = 1, .pages = pages, .doc = doc};
	page_furniture(&p);
	size_t i;
	json_t *line, *b;
	json_array_foreach(json_object_get(doc, "heading"), i, line)
		paragraph(&p, json_string_value(line), i == 0 ? 12 : 10.5, true, PANGO_ALIGN_CENTER, 2);
	p.y += 14;
	paragraph(&p, json_string_value(json_object_get(doc, "title")), 14, true, PANGO_ALIGN_CENTER, 4);
	if (json_object_get(doc, "subtitle"))
		paragraph(&p, json_string_value(json_object_get(doc, "subtitle")), 10, false, PANGO_ALIGN_CENTER, 16);
	json_array_foreach(json_object_get(doc, "blocks"), i, b) {
		const char *kind = json_string_value(json_object_get(b, "kind"));
		if (!kind)
			continue;
		if (strcmp(kind, "h1") == 0) {
			room(&p, 60);
			p.y += 6;
			paragraph(&p, json_string_value(json_object_get(b, "text")), 12, true, PANGO_ALIGN_LEFT, 6);
		} else if (strcmp(kind, "p") == 0) {
			paragraph(&p, json_string_value(json_object_get(b, "text")), 10, false, PANGO_ALIGN_LEFT, 8);
		} else if (strcmp(kind, "table") == 0) {
			table(&p, b);
			if (json_is_true(json_object_get(b, "chart")))
				chart(&p, b);
		}
	}
	cairo_show_page(p.cr);
	cairo_destroy(p.cr);
	return p.page;
}

int render_pdf(json_t *doc, struct buf *out, struct nrm_err *err)
{
	/* First to count the pages, then for good. */
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_nowhere, NULL, PAGE_W, PAGE_H);
	int pages = lay_out(s, doc, 0);
	cairo_surface_destroy(s);
	s = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, json_string_value(json_object_get(doc, "title")));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "nrm");
	lay_out(s, doc, pages);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	return st == CAIRO_STATUS_SUCCESS ? 0 : nrm_fail(err, NRM_EIO, KEY_internal, NULL, NULL);
}
