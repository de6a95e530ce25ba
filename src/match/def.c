/* The definitions of approximate matching (data/match/rules.json) and the folding of names. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "match/internal.h"
#include "secure/crypt.h"

#define FILE_NAME "match/rules.json"

static int bad(struct nrm_err *err, const char *what)
{
	return nrm_fail_file(err, NRM_EINVAL, FILE_NAME, "%s", what);
}

static int load_rule(const json_t *r, struct fold_rule *out, struct nrm_err *err)
{
	const char *from = json_string_value(json_object_get(r, "from")), *to = json_string_value(json_object_get(r, "to"));
	const char *before = json_string_value(json_object_get(r, "before"));
	if (!from || !*from || !to)
		return bad(err, "a fold rule needs a non-empty \"from\" and a \"to\"");
	if (!(out->from = strdup(from)) || !(out->to = strdup(to)))
		return NRM_ENOMEM;
	out->n = strlen(from);
	out->to_n = strlen(to);
	out->not_first = json_is_true(json_object_get(r, "not_first"));
	if (!before)
		out->before = BEFORE_ANY;
	else if (strcmp(before, "vowel") == 0)
		out->before = BEFORE_VOWEL;
	else if (strcmp(before, "ei") == 0)
		out->before = BEFORE_EI;
	else if (strcmp(before, "end") == 0)
		out->before = BEFORE_END;
	else
		return bad(err, "a fold rule's \"before\" is one of vowel, ei, end");
	return 0;
}

static int load_fold(const json_t *fold, struct match_def *d, struct nrm_err *err)
{
	const json_t *stages = json_object_get(fold, "stages");
	if (!json_is_array(stages) || json_array_size(stages) > FOLD_STAGES_MAX)
		return bad(err, "\"fold\" needs \"stages\": a list of at most 4 lists of rules");
	size_t i, j;
	json_t *st, *r;
	json_array_foreach(stages, i, st) {
		if (!json_is_array(st))
			return bad(err, "each stage of \"fold\" is a list of rules");
		struct fold_stage *s = &d->stages[d->nstages++];
		if (!(s->rules = calloc(json_array_size(st) + 1, sizeof *s->rules)))
			return NRM_ENOMEM;
		json_array_foreach(st, j, r) {
			int rc = load_rule(r, &s->rules[s->n], err);
			s->n++; /* freed whole, even half made */
			if (rc)
				return rc;
		}
	}
	const char *vowels = json_string_value(json_object_get(fold, "vowels")),
		   *strip = json_string_value(json_object_get(fold, "strip_final"));
	json_int_t keep = json_integer_value(json_object_get(fold, "keep_at_least"));
	if (!vowels || !strip || strlen(vowels) >= sizeof d->vowels || strlen(strip) >= sizeof d->strip || keep < 1)
		return bad(err, "\"fold\" needs \"vowels\", \"strip_final\" (a few letters) and \"keep_at_least\" (1 or more)");
	snprintf(d->vowels, sizeof d->vowels, "%s", vowels);
	snprintf(d->strip, sizeof d->strip, "%s", strip);
	d->keep = (size_t)keep;
	return 0;
}

static int load_rules(const json_t *rules, struct match_def *d, struct nrm_err *err)
{
	static const char *const fields[] = {"first_name", "last_name", "birth"};
	if (!json_is_array(rules) || json_array_size(rules) == 0 || json_array_size(rules) > MATCH_RULES_MAX)
		return bad(err, "\"rules\" is a list of 1 to 8 rules");
	size_t i;
	json_t *r;
	json_array_foreach(rules, i, r) {
		struct match_rule *m = &d->rules[d->nrules++];
		const json_t *w = json_object_get(r, "weights");
		double sum = 0;
		for (int f = 0; f < 3; f++) {
			const json_t *v = json_object_get(w, fields[f]);
			m->w[f] = v ? json_number_value(v) : 0;
			if (v && (!json_is_number(v) || m->w[f] < 0))
				return bad(err, "a rule's weights are numbers of 0 or more");
			sum += m->w[f];
		}
		if (json_object_size(w) == 0 || fabs(sum - 1) > 1e-9)
			return bad(err, "a rule's weights (first_name, last_name, birth) add up to 1");
		m->threshold = json_number_value(json_object_get(r, "threshold"));
		if (!json_is_number(json_object_get(r, "threshold")) || m->threshold <= 0 || m->threshold > 1)
			return bad(err, "a rule's threshold is above 0 and at most 1");
	}
	return 0;
}

static int load_blocking(const json_t *b, struct match_def *d, struct nrm_err *err)
{
	const json_t *sex = json_object_get(b, "sex"), *g;
	const char *code;
	if (!json_is_object(sex) || json_object_size(sex) == 0 || json_object_size(sex) > MATCH_SEXES_MAX)
		return bad(err, "\"blocking\" needs \"sex\": the group of each sex code (1 to 16 codes)");
	json_object_foreach((json_t *)sex, code, g) {
		const char *group = json_string_value(g);
		if (!group || !*group || strlen(group) >= MATCH_GROUP_MAX || !*code)
			return bad(err, "\"blocking\" \"sex\": each code's group is a name of 1 to 15 bytes");
		if (!(d->sex[d->nsex].code = strdup(code)))
			return NRM_ENOMEM;
		snprintf(d->sex[d->nsex++].group, MATCH_GROUP_MAX, "%s", group);
		bool known = false;
		for (size_t i = 0; i < d->ngroups; i++)
			known |= strcmp(d->groups[i], group) == 0;
		if (!known)
			snprintf(d->groups[d->ngroups++], MATCH_GROUP_MAX, "%s", group);
	}
	return 0;
}

static int number(const json_t *o, const char *key, double *out, struct nrm_err *err)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1)
		return nrm_fail_file(err, NRM_EINVAL, FILE_NAME, "\"%s\" is a number from 0 to 1", key);
	*out = json_number_value(v);
	return 0;
}

int match_def_load(const json_t *doc, struct match_def **out, struct nrm_err *err)
{
	struct match_def *d = calloc(1, sizeof *d);
	if (!d)
		return NRM_ENOMEM;
	const json_t *enc = json_object_get(doc, "encoding"), *birth = json_object_get(doc, "birth");
	json_int_t bits = json_integer_value(json_object_get(enc, "bits")),
		   hashes = json_integer_value(json_object_get(enc, "hashes"));
	int rc = load_fold(json_object_get(doc, "fold"), d, err);
	if (!rc)
		rc = load_blocking(json_object_get(doc, "blocking"), d, err);
	if (!rc && (bits < 64 || bits > MATCH_BITS_MAX || bits % 64 || hashes < 1 || hashes > MATCH_HASHES_MAX))
		rc = bad(err, "\"encoding\" needs \"bits\" (a multiple of 64, at most 2048) and \"hashes\" (1 to 32)");
	if (!rc && !(rc = load_rules(json_object_get(doc, "rules"), d, err)) &&
	    !(rc = number(birth, "same", &d->birth_same, err)) && !(rc = number(birth, "swapped", &d->birth_swapped, err)) &&
	    !(rc = number(birth, "same_year_estimated", &d->birth_year, err)) &&
	    !(rc = number(birth, "near_year_estimated", &d->birth_near, err)))
		rc = number(doc, "agree", &d->agree, err);
	if (rc) {
		match_def_free(d);
		return rc;
	}
	d->bits = (unsigned)bits;
	d->hashes = (unsigned)hashes;
	*out = d;
	return 0;
}

void match_def_free(struct match_def *d)
{
	if (!d)
		return;
	for (size_t s = 0; s < d->nstages; s++) {
		for (size_t i = 0; i < d->stages[s].n; i++) {
			free(d->stages[s].rules[i].from);
			free(d->stages[s].rules[i].to);
		}
		free(d->stages[s].rules);
	}
	for (size_t i = 0; i < d->nsex; i++)
		free(d->sex[i].code);
	free(d);
}

unsigned match_bits(const struct match_def *d)
{
	return d->bits;
}

const char *match_sex_group(const struct match_def *d, const char *code)
{
	for (size_t i = 0; code && i < d->nsex; i++)
		if (strcmp(d->sex[i].code, code) == 0)
			return d->sex[i].group;
	return "";
}

const char *match_sex_groups(const struct match_def *d, size_t i)
{
	return i < d->ngroups ? d->groups[i] : NULL;
}

/* Whether what follows position at in w[0..n) satisfies a rule's "before". */
static bool holds(const struct match_def *d, const char *w, size_t n, size_t at, enum before b)
{
	switch (b) {
	case BEFORE_ANY: return true;
	case BEFORE_END: return at == n;
	case BEFORE_EI: return at < n && (w[at] == 'e' || w[at] == 'i');
	case BEFORE_VOWEL: return at < n && w[at] && strchr(d->vowels, w[at]) != NULL;
	}
	return false;
}

/* One word through one stage, appended to out. */
static int stage(const struct match_def *d, const struct fold_stage *s, const char *w, size_t n, struct buf *out)
{
	size_t i = 0;
	while (i < n) {
		const struct fold_rule *hit = NULL;
		for (size_t r = 0; !hit && r < s->n; r++) {
			const struct fold_rule *x = &s->rules[r];
			if (x->n <= n - i && memcmp(w + i, x->from, x->n) == 0 && holds(d, w, n, i + x->n, x->before) &&
			    !(x->not_first && i == 0))
				hit = x;
		}
		int rc = hit ? buf_append(out, hit->to, hit->to_n) : buf_append(out, w + i, 1);
		if (rc)
			return rc;
		i += hit ? hit->n : 1;
	}
	return 0;
}

/* One word folded: the stages in turn, doubled letters made one, one final vowel dropped. */
static int word(const struct match_def *d, const char *w, size_t n, struct buf *out)
{
	struct buf a = {0}, b = {0};
	int rc = buf_append(&a, w, n);
	for (size_t s = 0; !rc && s < d->nstages; s++) {
		b.len = 0;
		rc = stage(d, &d->stages[s], a.p, a.len, &b);
		struct buf t = a;
		a = b;
		b = t;
	}
	if (!rc && a.len) {
		size_t o = 1;
		for (size_t i = 1; i < a.len; i++)
			if (a.p[i] != a.p[o - 1])
				a.p[o++] = a.p[i];
		a.len = o;
		if (a.len > d->keep && strchr(d->strip, a.p[a.len - 1]))
			a.len--;
		rc = buf_append(out, a.p, a.len);
	}
	buf_free(&a);
	buf_free(&b);
	return rc;
}

int match_fold(const struct match_def *d, const char *name, char **out)
{
	char *norm = NULL;
	int rc = crypt_normalise(name, &norm);
	if (rc)
		return rc;
	struct buf b = {0};
	const char *p = norm;
	while (!rc && *p) {
		size_t n = strcspn(p, " ");
		if (n) {
			size_t before = b.len, space = b.len > 0;
			if (space && (rc = buf_append(&b, " ", 1)))
				break;
			if (!(rc = word(d, p, n, &b)) && b.len == before + space && space) {
				b.len = before; /* a word folded to nothing */
				b.p[b.len] = '\0';
			}
		}
		p += n + (p[n] == ' ');
	}
	free(norm);
	char *text = rc ? NULL : buf_take(&b);
	buf_free(&b);
	if (rc)
		return rc;
	if (!text)
		return NRM_ENOMEM;
	*out = text;
	return 0;
}
