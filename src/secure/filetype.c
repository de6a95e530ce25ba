/* Recognising file formats by their content (secure/filetype.h). */
#include "secure/filetype.h"

#include <stdint.h>
#include <string.h>

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Whether needle occurs in p[0..n). */
static bool has(const unsigned char *p, size_t n, const char *needle, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (p[i] == (unsigned char)needle[0] && memcmp(p + i, needle, k) == 0)
			return true;
	return false;
}

static bool is_pdf(const unsigned char *p, size_t n)
{
	if (n < 5 + 5 || memcmp(p, "%PDF-", 5) != 0)
		return false;
	while (n > 5 && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == 0))
		n--;
	/* Writers end with "%%EOF" and a line break; some add a few bytes more, so the last kB. */
	size_t from = n > 1024 ? n - 1024 : 5;
	return has(p + from, n - from, "%%EOF", 5);
}

static bool is_png(const unsigned char *p, size_t n)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
	if (n < 8 + 25 + 12 || memcmp(p, sig, 8) != 0)
		return false;
	/* The first chunk is IHDR, 13 bytes: width and height from 1 to 2^31 - 1. */
	if (be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
		return false;
	uint32_t w = be32(p + 16), h = be32(p + 20);
	if (w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu)
		return false;
	return memcmp(p + n - 12, iend, 12) == 0;
}

static bool is_jpeg(const unsigned char *p, size_t n)
{
	if (n < 4 + 2 || p[0] != 0xff || p[1] != 0xd8 || p[2] != 0xff)
		return false;
	/* The first segment: an APPn, a quantisation or Huffman table, a frame start or a comment. */
	unsigned m = p[3];
	if (!((m >= 0xe0 && m <= 0xef) || m == 0xdb || m == 0xc4 || (m >= 0xc0 && m <= 0xcf) || m == 0xfe || m == 0xdd))
		return false;
	/* Some cameras pad the file after EOI with zeros. */
	size_t end = n, floor = n > 4096 ? n - 4096 : 4;
	while (end > floor && p[end - 1] == 0)
		end--;
	return end >= 6 && p[end - 2] == 0xff && p[end - 1] == 0xd9;
}

/* The central directory of a ZIP: where it starts, how long it is, how many entries. */
struct zip {
	const unsigned char *p;
	size_t n, cd, cd_len, entries;
};

static bool zip_open(const unsigned char *p, size_t n, struct zip *z)
{
	if (n < 30 + 22 || memcmp(p, "PK\3\4", 4) != 0)
		return false;
	/* The end record is the last 22 bytes plus its comment (at most 65535 bytes). */
	size_t floor = n > 22 + 65535 ? n - 22 - 65535 : 0;
	for (size_t at = n - 22;; at--) {
		if (memcmp(p + at, "PK\5\6", 4) == 0 && at + 22 + le16(p + at + 20) == n) {
			size_t disk = le16(p + at + 4), cd_disk = le16(p + at + 6), here = le16(p + at + 8),
			       total = le16(p + at + 10), len = le32(p + at + 12), off = le32(p + at + 16);
			/* One disk; ZIP64 (0xFFFF / 0xFFFFFFFF markers) is never needed by a document. */
			if (disk || cd_disk || here != total || total == 0 || total == 0xffff || len == 0xffffffffu ||
			    off == 0xffffffffu || off > at || len > at - off)
				return false;
			*z = (struct zip){.p = p, .n = n, .cd = off, .cd_len = len, .entries = total};
			return true;
		}
		if (at == floor)
			return false;
	}
}

/* Walks the central directory: every entry well formed, inside it, pointing at a local header
 * before it. Counts the entries named a and b (either may be NULL) in *na and *nb. */
static bool zip_walk(const struct zip *z, const char *a, const char *b, int *na, int *nb)
{
	size_t at = z->cd, end = z->cd + z->cd_len, la = a ? strlen(a) : 0, lb = b ? strlen(b) : 0;
	*na = *nb = 0;
	for (size_t i = 0; i < z->entries; i++) {
		if (end - at < 46 || memcmp(z->p + at, "PK\1\2", 4) != 0)
			return false;
		size_t name = le16(z->p + at + 28), extra = le16(z->p + at + 30), comment = le16(z->p + at + 32),
		       local = le32(z->p + at + 42);
		if (end - at - 46 < name + extra + comment || local + 30 > z->cd || memcmp(z->p + local, "PK\3\4", 4) != 0)
			return false;
		const unsigned char *nm = z->p + at + 46;
		*na += a && name == la && memcmp(nm, a, la) == 0;
		*nb += b && name == lb && memcmp(nm, b, lb) == 0;
		at += 46 + name + extra + comment;
	}
	return at == end;
}

static bool is_ooxml(const unsigned char *p, size_t n, const char *part)
{
	struct zip z;
	int types, main;
	return part && *part && zip_open(p, n, &z) && zip_walk(&z, "[Content_Types].xml", part, &types, &main) &&
	       types == 1 && main == 1;
}

static bool is_odf(const unsigned char *p, size_t n, const char *mime)
{
	struct zip z;
	int mt, content;
	if (!mime || !*mime || !zip_open(p, n, &z) || !zip_walk(&z, "mimetype", "content.xml", &mt, &content) ||
	    mt != 1 || content != 1)
		return false;
	/* The first local header: "mimetype", stored (method 0), its bytes the document's type. */
	size_t name = le16(p + 26), extra = le16(p + 28), k = strlen(mime);
	return le16(p + 8) == 0 && le32(p + 18) == k && le32(p + 22) == k && name == 8 && memcmp(p + 30, "mimetype", 8) == 0 &&
	       30 + name + extra + k <= z.cd && memcmp(p + 30 + name + extra, mime, k) == 0;
}

/* The sector after s in the compound file's allocation table, or ENDOFCHAIN on any doubt. */
static uint32_t ole2_next(const unsigned char *p, size_t ss, size_t nsect, uint32_t s)
{
	size_t per = ss / 4, idx = s / per;
	/* The table's own sectors: the first 109 are listed in the header. */
	if (idx >= 109 || idx >= le32(p + 44))
		return 0xfffffffeu;
	uint32_t fs = le32(p + 76 + 4 * idx);
	if (fs >= nsect)
		return 0xfffffffeu;
	return le32(p + (fs + 1) * ss + 4 * (s % per));
}

static bool is_ole2(const unsigned char *p, size_t n, const char *stream)
{
	static const unsigned char sig[8] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};
	if (!stream || !*stream || n < 512 * 3 || memcmp(p, sig, 8) != 0 || le16(p + 28) != 0xfffe)
		return false;
	uint32_t shift = le16(p + 30);
	if (shift != 9 && shift != 12)
		return false;
	size_t ss = (size_t)1 << shift, nsect = n / ss - 1;
	/* A directory entry: the name in UTF-16LE, its length in bytes (with the NUL) at offset 64. */
	unsigned char name[64] = {0};
	size_t k = strlen(stream);
	if (k > 31)
		return false;
	for (size_t i = 0; i < k; i++)
		name[2 * i] = (unsigned char)stream[i];
	size_t len = 2 * k + 2;
	for (size_t at = ss; at + 128 <= n; at += 128) {
		if (memcmp(p + at, name, len) != 0 || le16(p + at + 64) != len || p[at + 66] != 2)
			continue;
		/* A stream as large as the mini-stream cutoff lies in whole sectors: its chain must
		 * be inside the file and long enough (a cut file fails here). */
		uint32_t start = le32(p + at + 116), size = le32(p + at + 120);
		if (size < le32(p + 56))
			return true;
		size_t count = 0;
		for (uint32_t sct = start; sct != 0xfffffffeu; sct = ole2_next(p, ss, nsect, sct)) {
			if (sct >= nsect || ++count > nsect)
				return false;
		}
		return count * ss >= size;
	}
	return false;
}

bool filetype_is(const char *check, const char *arg, const void *data, size_t len)
{
	const unsigned char *p = data;
	if (!check || !p)
		return false;
	if (strcmp(check, "pdf") == 0)
		return is_pdf(p, len);
	if (strcmp(check, "png") == 0)
		return is_png(p, len);
	if (strcmp(check, "jpeg") == 0)
		return is_jpeg(p, len);
	if (strcmp(check, "ooxml") == 0)
		return is_ooxml(p, len, arg);
	if (strcmp(check, "odf") == 0)
		return is_odf(p, len, arg);
	if (strcmp(check, "ole2") == 0)
		return is_ole2(p, len, arg);
	return false;
}
