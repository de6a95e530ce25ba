/* What the unit suites of the form share: the shipped data files, loaded as the server
 * loads them (the code lists of data/codes/, plus the registry's counties and
 * municipalities, which the server draws from the database). */
#ifndef NRM_TEST_FIXTURE_H
#define NRM_TEST_FIXTURE_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static json_t *fixture_load(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);
	cr_assert_not_null(j, "%s: %s", path, e.text);
	return j;
}

/* Every code list by name (a new reference). */
static json_t *fixture_codelists(void)
{
	json_t *lists = json_object();
	DIR *d = opendir("data/codes");
	cr_assert_not_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		char path[300], name[300];
		snprintf(path, sizeof path, "data/codes/%s", e->d_name);
		snprintf(name, sizeof name, "%.*s", (int)(n - 5), e->d_name);
		json_object_set_new(lists, name, fixture_load(path));
	}
	closedir(d);
	json_object_set_new(lists, "counties", json_pack("{s:[{s:s, s:{s:s, s:s}}]}", "items", "code", "fier", "label", "sq",
							 "Fier", "en", "Fier"));
	json_object_set_new(lists, "municipalities", json_pack("{s:[{s:s}]}", "items", "code", "patos"));
	return lists;
}

#endif
