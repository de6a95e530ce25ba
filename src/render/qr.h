/* A QR code (libqrencode) drawn as an SVG image by nrm itself, so that a second factor's
 * secret never leaves the server for a QR service. */
#ifndef NRM_RENDER_QR_H
#define NRM_RENDER_QR_H

#include "core/buf.h"
#include "core/err.h"

/* Appends to out an SVG of `text` as a QR code (error correction M, a 4-module quiet zone),
 * one path of black squares, with `title` (plain text) as its accessible name. NRM_EINVAL
 * when text is too long for a QR code. */
int render_qr_svg(const char *text, const char *title, struct buf *out);

#endif
