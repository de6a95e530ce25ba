/* core/err: every key nrm can send has a template, a translation in both UI catalogues
 * (web/i18n/sq.json and en.json, as "error.<key>", using only the template's placeholders)
 * and a line in docs/api.md; messages are made from the template and the parameters. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

/* Whether every {placeholder} of text is `field` or one of the template's. */
static bool placeholders_within(const char *text, const char *tmpl, char *bad, size_t cap)
{
	for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
		size_t n = strcspn(p + 1, "}");
		if (!p[1 + n])
			break;
		char name[64], want[70];
		snprintf(name, sizeof name, "%.*s", (int)n, p + 1);
		snprintf(want, sizeof want, "{%s}", name);
		if (strcmp(name, "field") != 0 && !strstr(tmpl, want)) {
			snprintf(bad, cap, "%s", name);
			return false;
		}
	}
	return true;
}

Test(err, every_key_has_a_stable_name_and_a_template)
{
	cr_expect_str_eq(nrm_key_name(KEY_date_before_body), "date_before_body");
	for (int k = 0; k < KEY_COUNT; k++) {
		const char *name = nrm_key_name((enum nrm_key)k);
		cr_expect(*name && strspn(name, "abcdefghijklmnopqrstuvwxyz_0123456789") == strlen(name), "%s", name);
		cr_expect(*nrm_key_text((enum nrm_key)k), "%s has no template", name);
		for (int j = 0; j < k; j++)
			cr_expect_str_neq(name, nrm_key_name((enum nrm_key)j), "key %s twice", name);
	}
}

Test(err, every_key_the_server_can_send_is_translated_in_both_languages)
{
	const char *files[] = {"web/i18n/sq.json", "web/i18n/en.json"};
	for (size_t f = 0; f < 2; f++) {
		json_error_t je;
		json_t *cat = json_load_file(files[f], 0, &je);
		cr_assert_not_null(cat, "%s: %s", files[f], je.text);
		for (int k = 0; k < KEY_COUNT; k++) {
			char key[96], bad[64];
			snprintf(key, sizeof key, "error.%s", nrm_key_name((enum nrm_key)k));
			const char *text = json_string_value(json_object_get(cat, key));
			cr_expect_not_null(text, "%s lacks %s", files[f], key);
			if (text)
				cr_expect(placeholders_within(text, nrm_key_text((enum nrm_key)k), bad, sizeof bad),
					  "%s: %s uses {%s}, which the server does not send", files[f], key, bad);
		}
		json_decref(cat);
	}
}

Test(err, every_key_is_listed_in_the_api_documentation)
{
	char *doc = slurp("docs/api.md");
	for (int k = 0; k < KEY_COUNT; k++) {
		char want[96];
		snprintf(want, sizeof want, "`%s`", nrm_key_name((enum nrm_key)k));
		cr_expect_not_null(strstr(doc, want), "docs/api.md does not list %s", want);
	}
	free(doc);
}

Test(err, the_message_is_the_template_filled_with_the_field_and_parameters)
{
	struct nrm_err e = {0};
	int rc = nrm_fail(&e, NRM_EINVAL, KEY_date_before_body, "start", "established", "2025-06-27", NULL);
	cr_expect_eq(rc, NRM_EINVAL);
	cr_expect_eq(e.code, NRM_EINVAL);
	cr_expect_str_eq(e.field, "start");
	cr_expect_eq(e.nparams, 1);
	cr_expect_str_eq(e.params[0].name, "established");
	cr_expect_str_eq(e.params[0].value, "2025-06-27");
	cr_expect_str_eq(e.msg, "start must not be before the body was established (2025-06-27)");
	cr_expect_eq(nrm_fail(NULL, NRM_ECONFLICT, KEY_stale, NULL, NULL), NRM_ECONFLICT, "no record: the code alone");
}

Test(err, long_values_are_cut_on_a_character_boundary)
{
	struct nrm_err e = {0};
	char v[400];
	for (size_t i = 0; i + 2 < sizeof v; i += 2)
		v[i] = (char)0xc3, v[i + 1] = (char)0xab; /* ë */
	v[sizeof v - 2] = v[sizeof v - 1] = '\0';
	nrm_fail(&e, NRM_EINVAL, KEY_data_file, NULL, "file", "x", "problem", v, NULL);
	json_t *ok = json_string(e.params[1].value);
	cr_expect_not_null(ok, "the parameter is still valid UTF-8");
	json_decref(ok);
	ok = json_string(e.msg);
	cr_expect_not_null(ok, "the message is still valid UTF-8");
	json_decref(ok);
}

Test(err, a_failure_without_a_key_of_its_own_gets_its_code_general_key)
{
	cr_expect_eq(nrm_key_of_code(NRM_ENOTFOUND), KEY_not_found);
	cr_expect_eq(nrm_key_of_code(NRM_EBUSY), KEY_busy);
	cr_expect_eq(nrm_key_of_code(NRM_EIO), KEY_internal);
}
