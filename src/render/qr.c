/* QR codes as SVG. */
#include "render/qr.h"

#include <qrencode.h>
#include <string.h>

/* Escapes the five XML characters of a plain-text title. */
static int put_text(struct buf *out, const char *s)
{
	int rc = 0;
	for (; *s && !rc; s++) {
		switch (*s) {
		case '<': rc = buf_puts(out, "&lt;"); break;
		case '>': rc = buf_puts(out, "&gt;"); break;
		case '&': rc = buf_puts(out, "&amp;"); break;
		case '"': rc = buf_puts(out, "&quot;"); break;
		case '\'': rc = buf_puts(out, "&#39;"); break;
		default: rc = buf_append(out, s, 1);
		}
	}
	return rc;
}

int render_qr_svg(const char *text, const char *title, struct buf *out)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return NRM_EINVAL;
	int w = q->width, size = w + 8;
	int rc = buf_printf(out,
			    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
			    " role=\"img\" shape-rendering=\"crispEdges\"><title>",
			    size, size, size * 6, size * 6);
	if (!rc)
		rc = put_text(out, title);
	if (!rc)
		rc = buf_printf(out, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", size,
				size);
	/* Bit 0 of each byte is the module's colour (libqrencode's layout): one square per dark module. */
	for (int y = 0; y < w && !rc; y++)
		for (int x = 0; x < w && !rc; x++)
			if (q->data[y * w + x] & 1)
				rc = buf_printf(out, "M%d %dh1v1h-1z", x + 4, y + 4);
	if (!rc)
		rc = buf_puts(out, "\"/></svg>\n");
	QRcode_free(q);
	return rc ? NRM_ENOMEM : 0;
}
