/* core/buf: text built piece by piece; a JSON string written by hand reads back as the same
 * string whatever bytes it holds. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* s[0..n) written as a JSON string inside an array, parsed back: the same bytes. */
static void round_trip(const char *s, size_t n)
{
	struct buf b = {0};
	cr_assert_eq(buf_puts(&b, "["), 0);
	cr_assert_eq(buf_json_string(&b, s, n), 0);
	cr_assert_eq(buf_puts(&b, "]"), 0);
	cr_assert_eq(strlen(b.p), b.len, "NUL-terminated at its length");
	json_error_t e;
	json_t *a = json_loadb(b.p, b.len, JSON_ALLOW_NUL, &e);
	cr_assert_not_null(a, "%s: %s", b.p, e.text);
	json_t *v = json_array_get(a, 0);
	cr_assert_eq(json_string_length(v), n, "%s", b.p);
	cr_expect_eq(memcmp(json_string_value(v), s, n), 0, "%s", b.p);
	json_decref(a);
	buf_free(&b);
}

Test(core_buf, a_json_string_reads_back_the_same_whatever_it_holds)
{
	round_trip("", 0);
	round_trip("Tiranë", strlen("Tiranë"));
	round_trip("OJF \"Shpresa\" \\ e re", strlen("OJF \"Shpresa\" \\ e re"));
	/* Every control character, alone, first, last and between others. */
	for (int c = 1; c < 0x20; c++) {
		char s[8] = {'a', (char)c, 'b', (char)c, '\0'};
		round_trip(s, 4);
		round_trip(s + 1, 1);
		round_trip(s + 1, 3);
	}
	/* Long, with escapes far apart: the room made once grows as escapes come. */
	char big[5000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)(i % 997 == 0 ? '"' : i % 13 == 0 ? '\n' : 'a' + (char)(i % 26));
	round_trip(big, sizeof big);
}

Test(core_buf, appends_keep_the_text_terminated_and_whole)
{
	struct buf b = {0};
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(buf_printf(&b, "%d,", i), 0);
	cr_expect_eq(strlen(b.p), b.len);
	cr_expect_eq(strncmp(b.p, "0,1,2,", 6), 0);
	cr_expect_eq(strcmp(b.p + b.len - 4, "999,"), 0);
	char *p = buf_take(&b);
	cr_expect_null(b.p);
	cr_expect_eq(b.len, 0);
	free(p);
}
