/* docs/TRACEABILITY.md against the acts and the tests: every numbered provision and lettered
 * point of Instruction 132/2023 and Order 94/2025 (data/acts/provisions.json) has exactly one
 * row, no row names a provision the acts lack, and every test a row names exists — a Criterion
 * test `suite::name` in tests/api or tests/unit, a browser test `ui:FILE:title` in tests/ui — or
 * the row says why nothing in software applies ("none — ..."). */
#include <criterion/criterion.h>
#include <glob.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MATRIX "docs/TRACEABILITY.md"
#define ACTS "data/acts/provisions.json"

TestSuite(traceability, .timeout = 60);

/* Every file of a glob pattern, read whole, concatenated (malloc'd). */
static char *read_all(const char *pattern)
{
	glob_t g;
	cr_assert_eq(glob(pattern, 0, NULL, &g), 0, "%s", pattern);
	size_t n = 0;
	char *all = calloc(1, 1);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		size_t len = 0;
		char *text = file_read(g.gl_pathv[i], &len);
		cr_assert_not_null(text, "%s", g.gl_pathv[i]);
		all = realloc(all, n + len + 2);
		memcpy(all + n, text, len);
		n += len;
		all[n++] = '\n';
		all[n] = '\0';
		free(text);
	}
	globfree(&g);
	return all;
}

/* Whether a test a row names exists; *why says what was looked for when not. */
static bool exists(const char *ref, const char *criterion, char *why, size_t cap)
{
	if (strncmp(ref, "ui:", 3) == 0) {
		const char *file = ref + 3, *colon = strchr(file, ':');
		if (!colon || !colon[1]) {
			snprintf(why, cap, "%s: not ui:FILE:title", ref);
			return false;
		}
		char path[200];
		snprintf(path, sizeof path, "tests/ui/%.*s", (int)(colon - file), file);
		char *text = file_read(path, NULL);
		bool found = false;
		/* The title on a line that declares a test. */
		for (char *save1 = NULL, *line = text ? strtok_r(text, "\n", &save1) : NULL; line && !found; line = strtok_r(NULL, "\n", &save1))
			found = strstr(line, "test(") && strstr(line, colon + 1);
		free(text);
		if (!found)
			snprintf(why, cap, "%s: no test( line in %s holds that title", ref, path);
		return found;
	}
	const char *sep = strstr(ref, "::");
	if (!sep) {
		snprintf(why, cap, "%s: neither suite::name nor ui:FILE:title", ref);
		return false;
	}
	char decl[300];
	snprintf(decl, sizeof decl, "Test(%.*s, %s", (int)(sep - ref), ref, sep + 2);
	const char *at = criterion;
	while ((at = strstr(at, decl))) {
		char next = at[strlen(decl)];
		if (next == ')' || next == ',')
			return true;
		at++;
	}
	snprintf(why, cap, "%s: no %s) in tests/api or tests/unit", ref, decl);
	return false;
}

/* The cells of a table row "| a | b | c | d |" (at most 8), trimmed, in place. */
static size_t cells(char *line, char *out[8])
{
	size_t n = 0;
	char *p = line;
	if (*p != '|')
		return 0;
	p++;
	while (*p && n < 8) {
		char *bar = strstr(p, " |");
		if (!bar)
			break;
		*bar = '\0';
		while (*p == ' ')
			p++;
		out[n++] = p;
		p = bar + 2;
	}
	return n;
}

Test(traceability, every_provision_of_the_acts_has_one_row_and_every_test_it_names_exists)
{
	json_error_t je;
	json_t *acts = json_load_file(ACTS, JSON_REJECT_DUPLICATES, &je), *act, *pr;
	cr_assert_not_null(acts, ACTS ": %s (line %d)", je.text, je.line);
	json_t *want = json_object(), *seen = json_object();
	size_t i, j;
	json_array_foreach(json_object_get(acts, "acts"), i, act)
		json_array_foreach(json_object_get(act, "provisions"), j, pr) {
			const char *id = json_string_value(json_object_get(pr, "id"));
			cr_assert_not_null(id);
			cr_expect_null(json_object_get(want, id), "%s twice in " ACTS, id);
			cr_expect(json_is_string(json_object_get(pr, "en")) && json_is_string(json_object_get(pr, "sq")),
				  "%s: a summary in en and sq", id);
			json_object_set_new(want, id, json_true());
		}
	/* Both acts, whole: 29 provisions and points of the Instruction, 47 of the Order. */
	cr_assert_geq(json_object_size(want), 76, "%zu provisions", json_object_size(want));
	char *criterion = read_all("tests/api/*.c"), *unit = read_all("tests/unit/*.c");
	criterion = realloc(criterion, strlen(criterion) + strlen(unit) + 1);
	strcat(criterion, unit);
	free(unit);
	char *matrix = file_read(MATRIX, NULL);
	cr_assert_not_null(matrix, MATRIX);
	size_t rows = 0, tested = 0;
	for (char *save2 = NULL, *line = strtok_r(matrix, "\n", &save2); line; line = strtok_r(NULL, "\n", &save2)) {
		if (strncmp(line, "| `", 3) != 0)
			continue;
		char *c[8];
		size_t n = cells(line, c);
		cr_assert_eq(n, 4, "a row of four cells: %s", line);
		size_t len = strlen(c[0]);
		cr_assert(len > 2 && c[0][0] == '`' && c[0][len - 1] == '`', "the provision in backticks: %s", c[0]);
		c[0][len - 1] = '\0';
		const char *id = c[0] + 1;
		cr_expect_not_null(json_object_get(want, id), "%s is not a provision of the acts (" ACTS ")", id);
		cr_expect_null(json_object_get(seen, id), "%s has two rows", id);
		json_object_set_new(seen, id, json_true());
		cr_expect(strlen(c[1]) > 0 && strlen(c[2]) > 0, "%s: what it requires and what implements it", id);
		rows++;
		if (strncmp(c[3], "none — ", strlen("none — ")) == 0) {
			cr_expect_gt(strlen(c[3]), strlen("none — ") + 8, "%s: why nothing applies", id);
			continue;
		}
		/* `ref`, `ref`, ... */
		size_t refs = 0;
		for (char *p = c[3]; (p = strchr(p, '`'));) {
			char *end = strchr(p + 1, '`');
			cr_assert_not_null(end, "%s: an unclosed backtick", id);
			*end = '\0';
			char why[400];
			cr_expect(exists(p + 1, criterion, why, sizeof why), "%s: %s", id, why);
			refs++;
			p = end + 1;
		}
		cr_expect_gt(refs, 0, "%s: tests in backticks, or \"none — why\"", id);
		tested++;
	}
	const char *id;
	json_t *v;
	json_object_foreach(want, id, v)
		cr_expect_not_null(json_object_get(seen, id), "%s has no row in " MATRIX, id);
	cr_expect_eq(rows, json_object_size(want));
	cr_expect_gt(tested, rows / 2, "most provisions are proven by tests: %zu of %zu", tested, rows);
	free(matrix);
	free(criterion);
	json_decref(seen);
	json_decref(want);
	json_decref(acts);
}
