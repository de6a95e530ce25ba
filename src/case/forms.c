/* The case form, workflow and code lists: copied from data/ into the database by init, and
 * loaded from there by the server (so a running system does not depend on data/ files). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/internal.h"
#include "core/labels.h"
#include "core/statdef.h"
#include "match/match.h"
#include "secure/upload.h"
#include "store/db.h"
#include "store/org.h"

static int put_file(struct store *s, const char *dir, const char *file, const char *name, struct nrm_err *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	json_error_t je;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		return nrm_fail_file(err, NRM_EINVAL, path, "%s (line %d)", je.text, je.line);
	}
	char *txt = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	int rc = txt ? store_form_put(s, name, txt) : NRM_ENOMEM;
	free(txt);
	return rc;
}

/* Stores every NAME.json of data_dir/folder as prefix + NAME. */
static int put_dir(struct store *s, const char *data_dir, const char *folder, const char *prefix, struct nrm_err *err)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/%s", data_dir, folder);
	DIR *d = opendir(dir);
	if (!d)
		return nrm_fail_file(err, NRM_EINVAL, dir, "the folder is missing");
	struct dirent *e;
	int rc = 0;
	while (!rc && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		char file[300], name[300];
		snprintf(file, sizeof file, "%s/%s", folder, e->d_name);
		snprintf(name, sizeof name, "%s%.*s", prefix, (int)(n - 5), e->d_name);
		rc = put_file(s, data_dir, file, name, err);
	}
	closedir(d);
	return rc;
}

int case_match_load(struct store *s, struct match_def **out, struct nrm_err *err)
{
	json_t *doc = NULL;
	int rc = case_stored_doc(s, "match:rules", &doc);
	if (rc == NRM_ENOTFOUND) {
		*out = NULL;
		return 0;
	}
	if (!rc)
		rc = match_def_load(doc, out, err);
	json_decref(doc);
	return rc;
}

int case_form_store(struct store *s, const char *data_dir, struct nrm_err *err)
{
	int rc;
	if ((rc = put_file(s, data_dir, "forms/case.json", "form:case", err)) ||
	    (rc = put_file(s, data_dir, "forms/workflow.json", "workflow:case", err)) ||
	    (rc = put_file(s, data_dir, "labels.json", "labels", err)) ||
	    (rc = put_file(s, data_dir, "org/roles.json", "labels:roles", err)) ||
	    (rc = put_file(s, data_dir, "stats/facts.json", "stats:facts", err)) ||
	    (rc = put_file(s, data_dir, "stats/dimensions.json", "stats:dimensions", err)) ||
	    (rc = put_file(s, data_dir, "stats/tables.json", "stats:tables", err)) ||
	    (rc = put_file(s, data_dir, "htcds/fields.json", "htcds:fields", err)) ||
	    (rc = put_file(s, data_dir, "org/bodies.json", "org:bodies", err)) ||
	    (rc = put_file(s, data_dir, "meetings/tasks.json", "workflow:task", err)) ||
	    (rc = put_file(s, data_dir, "monitor/scorecard.json", "monitor:scorecard", err)) ||
	    (rc = put_file(s, data_dir, "work/home.json", "work:home", err)) ||
	    (rc = put_file(s, data_dir, "oversight/rules.json", "oversight:rules", err)) ||
	    (rc = put_file(s, data_dir, "uploads/types.json", "uploads:types", err)) ||
	    (rc = put_file(s, data_dir, "match/rules.json", "match:rules", err)))
		return rc;
	if ((rc = put_dir(s, data_dir, "codes", "codes:", err)))
		return rc;
	if ((rc = put_dir(s, data_dir, "registers", "register:", err)) ||
	    (rc = put_dir(s, data_dir, "reports", "report:", err)))
		return rc;
	/* The accepted upload types are checked as they are stored: a bad edit never reaches uploads. */
	json_t *types;
	if ((rc = upload_types(s, &types, err)))
		return rc;
	json_decref(types);
	/* The definitions of approximate matching are checked as they are stored. */
	struct match_def *m = NULL;
	if ((rc = case_match_load(s, &m, err)))
		return rc;
	match_def_free(m);
	if ((rc = case_similar_none_yet(s)))
		return rc;
	/* The cases' kept list fields follow the form's list (a list changed by `nrm forms load`
	 * is made anew here; the cases' writes after keep it). */
	struct form *f = NULL;
	int64_t made = 0;
	if ((rc = case_form_load(s, &f, err)))
		return rc;
	rc = case_list_refresh(s, f, &made);
	form_free(f);
	return rc;
}

/* Code lists drawn from the organisation registry. */
static json_t *registry_lists(struct store *s)
{
	json_t *counties = NULL, *munis = NULL, *lists = json_object();
	json_t *ci = json_array(), *mi = json_array();
	size_t i;
	json_t *r;
	if (store_counties(s, &counties) == 0)
		json_array_foreach(counties, i, r)
			json_array_append_new(ci, json_pack("{s:O, s:{s:O, s:O}}", "code", json_object_get(r, "slug"), "label",
							    "sq", json_object_get(r, "name_sq"), "en", json_object_get(r, "name_en")));
	if (store_municipalities(s, 0, &munis) == 0)
		json_array_foreach(munis, i, r)
			json_array_append_new(mi, json_pack("{s:O, s:O, s:{s:O, s:O}}", "code", json_object_get(r, "slug"), "parent",
							    json_object_get(r, "county"), "label", "sq", json_object_get(r, "name"),
							    "en", json_object_get(r, "name")));
	json_object_set_new(lists, "counties", json_pack("{s:s, s:{s:s, s:s}, s:o}", "name", "counties", "label", "sq",
							  "Qarqet", "en", "Counties", "items", ci));
	json_object_set_new(lists, "municipalities", json_pack("{s:s, s:{s:s, s:s}, s:o}", "name", "municipalities", "label",
								"sq", "Bashkitë", "en", "Municipalities", "items", mi));
	json_t *types = NULL, *ti = json_array();
	if (store_institution_types(s, &types) == 0)
		json_array_foreach(types, i, r)
			json_array_append_new(ti, json_pack("{s:O, s:{s:O, s:O}}", "code", json_object_get(r, "code"), "label", "sq",
							    json_object_get(r, "name_sq"), "en", json_object_get(r, "name_en")));
	json_object_set_new(lists, "institution_types", json_pack("{s:s, s:{s:s, s:s}, s:o}", "name", "institution_types",
								   "label", "sq", "Llojet e institucioneve", "en",
								   "Institution types", "items", ti));
	json_decref(types);
	json_decref(counties);
	json_decref(munis);
	return lists;
}

int case_form_load(struct store *s, struct form **out, struct nrm_err *err)
{
	json_t *rows;
	int rc = store_forms(s, &rows);
	if (rc)
		return rc;
	json_t *form = NULL, *wf = NULL, *lists = registry_lists(s);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		const char *name = j_str(r, "name");
		json_t *doc = json_object_get(r, "doc");
		if (strcmp(name, "form:case") == 0)
			form = doc;
		else if (strcmp(name, "workflow:case") == 0)
			wf = doc;
		else if (strncmp(name, "codes:", 6) == 0)
			json_object_set(lists, name + 6, doc);
	}
	if (!form || !wf)
		rc = nrm_fail(err, NRM_EINVAL, KEY_form_missing, NULL, NULL);
	else
		rc = form_load(form, wf, lists, out, err);
	json_decref(lists);
	json_decref(rows);
	return rc;
}

/* The documents case_form_store stored, by name (a new object). */
static int stored(struct store *s, json_t **out)
{
	json_t *rows, *by = json_object(), *r;
	int rc = store_forms(s, &rows);
	if (rc) {
		json_decref(by);
		return rc;
	}
	size_t i;
	json_array_foreach(rows, i, r)
		json_object_set(by, j_str(r, "name"), json_object_get(r, "doc"));
	json_decref(rows);
	*out = by;
	return 0;
}

int case_stored_doc(struct store *s, const char *name, json_t **out)
{
	/* Only the one asked for: the form and its labels, parsed on every call, are large. */
	return store_form_get(s, name, out);
}

int case_labels_load(struct store *s, const struct form *f, struct labels **out, struct nrm_err *err)
{
	json_t *by;
	int rc = stored(s, &by);
	if (rc)
		return rc;
	/* A database made before labels were stored (schema 3) gets them from `nrm forms load`. */
	rc = labels_build(json_object_get(by, "labels"), json_object_get(by, "labels:roles"), f, out, err);
	json_decref(by);
	return rc;
}

int case_statdef_load(struct store *s, const struct form *f, struct statdef **out, struct nrm_err *err)
{
	json_t *by;
	int rc = stored(s, &by);
	if (rc)
		return rc;
	json_t *facts = json_object_get(by, "stats:facts"), *dims = json_object_get(by, "stats:dimensions"),
	       *tables = json_object_get(by, "stats:tables");
	if (!facts || !dims || !tables)
		rc = nrm_fail(err, NRM_EINVAL, KEY_stats_missing, NULL, NULL);
	else
		rc = statdef_load(facts, dims, tables, f, out, err);
	json_decref(by);
	return rc;
}
