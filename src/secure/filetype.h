/* What a file really is, by its content: the magic numbers of a format and a structural check
 * that is cheap (no decoding, a bounded walk) and sound (a file that passes has the shape a
 * reader of the format expects where it first looks). Reads only the bytes given. */
#ifndef NRM_SECURE_FILETYPE_H
#define NRM_SECURE_FILETYPE_H

#include <stdbool.h>
#include <stddef.h>

/* Whether data[0..len) passes the test named `check`:
 *   "pdf"   %PDF- at the start and %%EOF in the last 1 kB (after trailing whitespace);
 *   "png"   the signature, an IHDR chunk first with a non-zero width and height, IEND last;
 *   "jpeg"  SOI and a marker at the start, EOI at the end (after trailing zero padding);
 *   "ooxml" a ZIP (a local header at the start, an end record whose central directory lies
 *           inside the file and whose entries are all well formed) holding
 *           "[Content_Types].xml" and `arg` (the main part, e.g. "word/document.xml");
 *   "odf"   a ZIP as above whose first entry is "mimetype", stored uncompressed, holding
 *           exactly `arg` (e.g. "application/vnd.oasis.opendocument.text"), and content.xml;
 *   "ole2"  a compound file (the signature, byte order mark, a sector size of 512 or 4096)
 *           with a stream named `arg` (e.g. "WordDocument") whose chain of sectors, when it
 *           is stored in sectors of its own, lies inside the file and holds its size.
 * An unknown check, or one that needs arg without it, is false. */
bool filetype_is(const char *check, const char *arg, const void *data, size_t len);

#endif
