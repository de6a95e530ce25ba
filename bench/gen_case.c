/* bench/gen: what one generated case holds. Distributions after what Albania reports
 * (/work/shared/reference/README.md, US TIP reports 2016-2022): most persons female, about a
 * third children, sexual exploitation first, then begging and forced labour; counties in
 * proportion to their population; cases identified evenly over the window, the older ones
 * mostly closed, the recent ones still open. Personal values are invented: first names from
 * short lists and a last name made unique from the case's number, so that two cases are the
 * same person only where the generator means them to be (dup_of). */
#include "gen.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/form.h"
#include "store/org.h"

struct gen_rng gen_rng_of(uint64_t seed, uint64_t kind, uint64_t n)
{
	struct gen_rng r = {seed * 0x9E3779B97F4A7C15ull ^ (kind << 56) ^ n * 0xD1B54A32D192ED03ull};
	gen_next(&r);
	return r;
}

uint64_t gen_next(struct gen_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

uint32_t gen_below(struct gen_rng *r, uint32_t n)
{
	return n ? (uint32_t)((gen_next(r) >> 32) * n >> 32) : 0;
}

bool gen_chance(struct gen_rng *r, double p)
{
	return (double)(gen_next(r) >> 11) / 9007199254740992.0 < p;
}

size_t gen_pick(struct gen_rng *r, const unsigned *weights, size_t n)
{
	unsigned total = 0;
	for (size_t i = 0; i < n; i++)
		total += weights[i];
	uint32_t x = gen_below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

int64_t gen_time_of(int32_t day, int minutes)
{
	/* Tirana is UTC+1 in winter, +2 in summer: an hour's error on a stamp does not matter here. */
	return (int64_t)day * 86400 + (int64_t)(minutes - 60) * 60;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const female[] = {"Elira", "Anisa", "Drita", "Blerta", "Gerta", "Klea", "Ardita", "Mirela", "Esmeralda",
				     "Jonida", "Alketa", "Brunilda", "Fatjona", "Rudina", "Suela", "Erjona", "Lindita", "Mimoza",
				     "Valbona", "Xhesika", "Ornela", "Dorina", "Kristina", "Enkeleda", "Megi", "Sara", "Amarildë",
				     "Flutura", "Arbana", "Besjana"};
static const char *const male[] = {"Ardit", "Bledi", "Erion", "Klajdi", "Jetmir", "Arben", "Gentian", "Dritan", "Endrit",
				   "Fatjon", "Ilir", "Kledi", "Mario", "Orges", "Redon", "Sokol", "Taulant", "Xhuljan",
				   "Alban", "Besnik", "Dorian", "Elton", "Florian", "Genti", "Juli", "Luan"};
static const char *const surname[] = {"Hoxha", "Shehu", "Leka", "Kola", "Gjoka", "Dervishi", "Marku", "Prifti", "Basha",
				      "Çela", "Krasniqi", "Dushku", "Rama", "Meta", "Hysa", "Lika", "Muça", "Doda",
				      "Zeneli", "Bregu", "Malaj", "Kuka", "Tafaj", "Gjini", "Bajrami", "Xhafa", "Brahimi",
				      "Tahiri", "Vata", "Mema", "Duka", "Shkurti", "Qose", "Gjeta", "Pepa", "Lala"};
static const char *const syllable[] = {"ba", "ke", "ri", "lo", "mi", "na", "do", "se", "ta", "vu",
				       "ga", "ju", "pe", "zo", "fi", "xhe", "ra", "le", "mo", "shi"};

/* The county weights: population in thousands, census 2023 (INSTAT), rounded. */
static const unsigned county_weight[GEN_COUNTIES] = {106, 245, 235, 247, 54, 176, 67, 107, 101, 176, 759, 167};
static const char *const county_slug[GEN_COUNTIES] = {"berat", "durres", "elbasan", "fier", "gjirokaster", "korce",
						      "kukes", "lezhe", "diber", "shkoder", "tirane", "vlore"};

int gen_world_load(struct store *s, struct gen_world *w)
{
	int rc = 0;
	for (size_t k = 0; k < GEN_COUNTIES && !rc; k++) {
		struct gen_county *c = &w->county[k];
		c->slug = county_slug[k];
		c->weight = county_weight[k];
		if ((rc = store_county_id(s, c->slug, &c->id)) || (rc = store_municipalities(s, c->id, &c->munis)) ||
		    (rc = store_institution_find(s, "local_police", c->id, 0, &c->police)) ||
		    (rc = store_institution_find(s, "border_migration", c->id, 0, &c->border)) ||
		    (rc = store_institution_find(s, "state_social_service", c->id, 0, &c->social)) ||
		    (rc = store_institution_find(s, "labour_inspectorate", c->id, 0, &c->labour)) ||
		    (rc = store_institution_find(s, "regional_education", c->id, 0, &c->school)) ||
		    (rc = store_institution_find(s, "regional_hospital", c->id, 0, &c->hospital)))
			break;
		size_t i;
		json_t *m;
		json_array_foreach(c->munis, i, m) {
			if (i >= N(c->munis_social))
				break;
			if ((rc = store_institution_find(s, "municipal_social_services", c->id, json_integer_value(json_object_get(m, "id")),
							 &c->munis_social[i])))
				break;
		}
	}
	int64_t tirane = w->county[10].id;
	if (!rc && !(rc = store_institution_find(s, "ngo_shelter", tirane, 0, &w->ngo)) &&
	    !(rc = store_institution_find(s, "kksat", 0, 0, &w->kksat)) &&
	    !(rc = store_institution_find(s, "state_reception_centre", 0, 0, &w->reception)) &&
	    !(rc = store_institution_find(s, "child_rights_agency", 0, 0, &w->child_agency)) &&
	    !(rc = store_institution_find(s, "mfa_consular", 0, 0, &w->consular)) &&
	    !(rc = store_institution_find(s, "police_trafficking", 0, 0, &w->police_trafficking)) &&
	    !(rc = store_institution_find(s, "police_minors", 0, 0, &w->police_minors)))
		rc = store_institution_find(s, "police_border", 0, 0, &w->police_border);
	return rc;
}

void gen_world_free(struct gen_world *w)
{
	for (size_t k = 0; k < GEN_COUNTIES; k++)
		json_decref(w->county[k].munis);
	free(w->meetings);
}

/* ---- who the person is ---- */

struct person {
	bool female, child;
	int age;
	int32_t birth;
	char first[32], last[96];
};

static int32_t ident_day(const struct gen_world *w, int64_t i)
{
	/* Evenly over the window, in the order of the cases: newer cases have higher ids. */
	return w->first + (int32_t)((int64_t)(w->last - w->first + 1) * i / (w->n ? w->n : 1));
}

static void person_of(const struct gen_world *w, int64_t i, struct person *p)
{
	struct gen_rng r = gen_rng_of(w->seed, 'P', (uint64_t)i);
	p->female = !gen_chance(&r, 0.22);
	p->child = gen_chance(&r, 0.31);
	p->age = p->child ? 8 + (int)gen_below(&r, 10) : 18 + (int)gen_below(&r, 12) + (int)gen_below(&r, 20);
	/* Born 1 to 360 days before a birthday, so that the age in years is p->age. */
	int y, m, d;
	date_to_ymd(ident_day(w, i), &y, &m, &d);
	p->birth = date_from_ymd(y - p->age, m, d > 28 ? 28 : d) - 1 - (int32_t)gen_below(&r, 360);
	snprintf(p->first, sizeof p->first, "%s", p->female ? female[gen_below(&r, N(female))] : male[gen_below(&r, N(male))]);
	/* The case's number in syllables makes the last name unique in the run. */
	char tag[64] = "";
	uint64_t v = (uint64_t)i;
	size_t len = 0;
	do {
		const char *s = syllable[v % N(syllable)];
		size_t n = strlen(s);
		if (len + n + 1 >= sizeof tag)
			break;
		memcpy(tag + len, s, n);
		len += n;
		v /= N(syllable);
	} while (v);
	tag[len] = '\0';
	tag[0] = (char)(tag[0] - 'a' + 'A');
	snprintf(p->last, sizeof p->last, "%s-%s", surname[gen_below(&r, N(surname))], tag);
}

/* ---- what happened to them ---- */

static json_t *codes(const char *a, const char *b)
{
	json_t *x = json_array();
	json_array_append_new(x, json_string(a));
	if (b)
		json_array_append_new(x, json_string(b));
	return x;
}

static void set_day(json_t *f, const char *name, int32_t day)
{
	char s[DATE_LEN];
	date_format(day, s);
	json_object_set_new(f, name, json_string(s));
}

/* The Authority's first meeting on or after day (0 when none). */
static const struct gen_meeting *meeting_from(const struct gen_world *w, int32_t day)
{
	size_t lo = 0, hi = w->nmeetings;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (w->meetings[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < w->nmeetings ? &w->meetings[lo] : NULL;
}

/* Forms of exploitation with the section C indicator that goes with each. */
struct form_of {
	const char *code, *second, *indicator;
	unsigned adult, child;
};
static const struct form_of forms[] = {
	{"SexualExploitation", NULL, "C01", 34, 18},
	{"Prostitution", "SexualExploitation", "C01", 16, 6},
	{"RemoteInteractiveServices", NULL, "C02", 2, 2},
	{"ForcedLabour", "A_AgricultureForestryAndFishing", "C03", 6, 2},
	{"ForcedLabour", "F_Construction", "C04", 4, 0},
	{"ForcedLabour", "I_AccommodationAndFoodServiceActivities", "C03", 5, 1},
	{"ChildLabour", "al_StreetVending", "C05", 0, 12},
	{"ForcedBegging", "al_StreetBegging", "C05", 6, 30},
	{"al_BeggingWithChild", NULL, "C05", 3, 0},
	{"al_ForcedCriminality", "al_DrugCultivation", "C06", 3, 3},
	{"al_ForcedCriminality", "al_Theft", "C06", 1, 4},
	{"ForcedMarriage", NULL, "C07", 4, 3},
	{"al_ChildMarriage", NULL, "C07", 0, 5},
	{"al_DomesticServitude", NULL, "C08", 5, 3},
	{"Other", NULL, "C10", 1, 1},
};

/* The first draws of case i: whether it is a person registered before, and which. */
static int64_t dup_draw(struct gen_rng *r, int64_t i)
{
	if (i > 50 && gen_chance(r, 0.04))
		return i - 1 - (int64_t)gen_below(r, (uint32_t)(i - 1 < 3000 ? i - 1 : 3000));
	return -1;
}

int64_t gen_case_person(const struct gen_world *w, int64_t i)
{
	struct gen_rng r = gen_rng_of(w->seed, 'C', (uint64_t)i);
	int64_t d = dup_draw(&r, i);
	return d >= 0 ? d : i;
}

int gen_case_make(const struct gen_world *w, int64_t i, struct gen_case *out)
{
	struct gen_rng r = gen_rng_of(w->seed, 'C', (uint64_t)i);
	struct person p;
	memset(out, 0, sizeof *out);
	out->dup_of = -1;
	/* About 4% are a person registered before (by another agency, often in another county):
	 * the same name and birth date as an earlier case. The blind indexes find those of them
	 * whose earlier case holds its birth date too (60%), and the Authority merges most of
	 * these: some 2% of the cases end merged. */
	int64_t me = i;
	if ((out->dup_of = dup_draw(&r, i)) >= 0)
		me = out->dup_of;
	person_of(w, me, &p);
	int32_t ident = out->ident = ident_day(w, i);
	/* The same person identified again is older by then; nrm reckons the age as form_age_years. */
	if (me != i)
		p.age = form_age_years(p.birth, ident);
	p.child = p.age < 18;
	json_t *f = out->fields = json_object();
	json_object_set_new(f, "prs_FirstName", json_string(p.first));
	json_object_set_new(f, "prs_SecondName", json_string(p.last));
	bool odd_sex = gen_chance(&r, 0.01);
	json_object_set_new(f, "prs_Gender", json_string(odd_sex ? "NonSpecifiedUnknown" : p.female ? "Feminine" : "Masculine"));
	if (me != i || gen_chance(&r, 0.6))
		set_day(f, "prs_Birthdate", p.birth);
	else
		json_object_set_new(f, "al_estimated_age", json_integer(p.age));
	set_day(f, "al_identification_date", ident);

	/* Where, by whom, how. */
	unsigned cw[GEN_COUNTIES];
	for (size_t k = 0; k < GEN_COUNTIES; k++)
		cw[k] = w->county[k].weight;
	const struct gen_county *co = &w->county[gen_pick(&r, cw, GEN_COUNTIES)];
	size_t nm = json_array_size(co->munis), mi = gen_below(&r, (uint32_t)(nm < N(co->munis_social) ? nm : N(co->munis_social)));
	json_object_set_new(f, "al_county", json_string(co->slug));
	json_object_set_new(f, "al_municipality", json_incref(json_object_get(json_array_get(co->munis, mi), "slug")));
	static const unsigned who_w[] = {440, 70, 80, 90, 30, 25, 20, 50, 30, 25, 20, 15, 3};
	const char *method;
	int64_t inst;
	bool foreign = gen_chance(&r, 0.08);
	switch (gen_pick(&r, who_w, N(who_w))) {
	case 0: inst = co->police, method = gen_chance(&r, 0.3) ? "proactive_mobile_unit" : "police"; break;
	case 1: inst = co->border, method = "border"; break;
	case 2: inst = co->social, method = "social_services"; break;
	case 3: inst = co->munis_social[mi], method = gen_chance(&r, 0.4) ? "proactive_mobile_unit" : "social_services"; break;
	case 4: inst = co->labour, method = "labour_inspection"; break;
	case 5: inst = co->school, method = "school"; break;
	case 6: inst = co->hospital, method = "health"; break;
	case 7: inst = w->police_trafficking, method = "police"; break;
	case 8: inst = w->police_minors, method = p.child ? "police" : "hotline"; break;
	case 9: inst = w->police_border, method = "border"; break;
	case 10: inst = w->consular, method = "consulate_abroad"; break;
	case 11: inst = w->kksat, method = "ngo"; break;
	default: inst = w->ngo, method = "ngo"; break;
	}
	if (gen_chance(&r, 0.05))
		method = "self_report";
	out->holder = inst;
	json_object_set_new(f, "al_identifying_institution", json_integer(inst));
	json_object_set_new(f, "al_identification_method", json_string(method));
	static const char *const abroad[] = {"GR", "IT", "DE", "GB", "FR", "XK", "MK", "TR"};
	if (strcmp(method, "consulate_abroad") == 0)
		json_object_set_new(f, "al_identification_country", json_string(abroad[gen_below(&r, N(abroad))]));
	static const char *const other[] = {"XK", "SY", "AF", "PK", "IN", "BD", "MA", "NG", "UA", "MK", "TR"};
	const char *citizen = foreign ? other[gen_below(&r, N(other))] : "AL";
	json_object_set_new(f, "prs_Citizenship", codes(citizen, NULL));

	/* What was done to them, and the indicators that tell it. */
	unsigned fw[N(forms)];
	for (size_t k = 0; k < N(forms); k++)
		fw[k] = p.child ? forms[k].child : forms[k].adult;
	const struct form_of *fo = &forms[gen_pick(&r, fw, N(forms))];
	json_object_set_new(f, "vic_TypeOfExploitation", codes(fo->code, fo->second));
	json_object_set_new(f, "al_trafficking_scope", json_string(foreign || gen_chance(&r, 0.3) ? "transnational" : "internal"));
	char a[4];
	snprintf(a, sizeof a, "A0%u", 1 + gen_below(&r, 8));
	json_object_set_new(f, "al_indicators_a", p.child && gen_chance(&r, 0.4) ? codes(a, "A09") : codes(a, NULL));
	if (!p.child || gen_chance(&r, 0.5)) {
		char b[4];
		snprintf(b, sizeof b, "B0%u", 1 + gen_below(&r, 9));
		json_object_set_new(f, "al_indicators_b", codes(b, NULL));
	}
	json_object_set_new(f, "al_indicators_c", codes(fo->indicator, NULL));
	if (strcmp(fo->code, "Other") == 0)
		json_object_set_new(f, "al_exploitation_other", json_string("Shfrytëzim në punë të tjera (gjeneruar)"));

	/* Personal details some records hold. */
	if (gen_chance(&r, 0.5)) {
		char id[16];
		snprintf(id, sizeof id, "%c%08u%c", 'I' + (char)gen_below(&r, 10), gen_below(&r, 100000000), 'A' + (char)gen_below(&r, 26));
		json_object_set_new(f, "prs_IdentityNumber", json_string(id));
	}
	if (gen_chance(&r, 0.35)) {
		char num[16];
		snprintf(num, sizeof num, "B%07u", gen_below(&r, 10000000));
		json_object_set_new(f, "al_documents", json_pack("[{s:s, s:s, s:s, s:b}]", "al_document_type", "passport",
								  "al_document_number", num, "al_document_country", citizen,
								  "al_document_withheld", gen_chance(&r, 0.3)));
	}
	if (gen_chance(&r, 0.5))
		json_object_set_new(f, "al_father_name", json_string(male[gen_below(&r, N(male))]));
	if (gen_chance(&r, 0.4)) {
		char tel[16];
		snprintf(tel, sizeof tel, "+35569%07u", gen_below(&r, 10000000));
		json_object_set_new(f, "prs_MobilePhone", json_string(tel));
	}
	if (gen_chance(&r, 0.3)) {
		char addr[96];
		snprintf(addr, sizeof addr, "Rruga %s, nr. %u, %s", surname[gen_below(&r, N(surname))], 1 + gen_below(&r, 120),
			 json_string_value(json_object_get(json_array_get(co->munis, mi), "name")));
		json_object_set_new(f, "al_current_address", json_string(addr));
	}
	if (gen_chance(&r, 0.2))
		json_object_set_new(f, "al_narrative",
				    json_string("Personi u identifikua gjatë një kontrolli. Rrëfimi i plotë u regjistrua "
						"nga punonjësi i rastit dhe u ruajt i koduar (tekst i gjeneruar për matje)."));

	/* The way through the workflow: each step on its day; the stage is the last step on or
	 * before the window's end. */
	int32_t end = w->last, t = ident;
	out->stage = "initial_identification";
	bool referred = gen_chance(&r, p.child ? 0.9 : 0.75);
	int32_t closes = -1;
	const char *closure = NULL;
	if (referred && (t += 1 + (int32_t)gen_below(&r, 10)) <= end) {
		static const unsigned rw[] = {30, 25, 20, 10, 8, 4, 3};
		int64_t to;
		switch (gen_pick(&r, rw, N(rw))) {
		case 0: to = w->reception; break;
		case 1: to = co->social; break;
		case 2: to = co->munis_social[mi]; break;
		case 3: to = p.child ? w->child_agency : w->kksat; break;
		case 4: to = w->kksat; break;
		case 5: to = co->hospital; break;
		default: to = co->slug == w->county[10].slug && gen_chance(&r, 0.25) ? w->ngo : w->kksat; break;
		}
		if (to == inst)
			to = w->reception;
		out->stage = "referral";
		set_day(f, "cas_OutgoingReferralDate", t);
		json_object_set_new(f, "cas_ReferredOrganisation", json_integer(to));
		char cd[DATE_LEN];
		date_format(t, cd);
		json_object_set_new(f, "al_consents", json_pack("[{s:s, s:b, s:s, s:s}]", "al_consent_purpose", "assistance",
								 "con_Consent", 1, "al_consent_by", p.child ? "parent" : "self",
								 "al_consent_date", cd));
		/* A referral of the case recorded as such (about 55% of those referred: 40% of all). */
		if (gen_chance(&r, 0.55)) {
			out->refer_to = to;
			out->refer_day = t;
			out->answer_day = t + (int32_t)gen_below(&r, 4);
			bool recent = end - t < 30;
			uint32_t x = gen_below(&r, 100);
			out->answer = recent ? (x < 50 ? 'p' : x < 92 ? 'a' : 'd') : (x < 3 ? 'p' : x < 91 ? 'a' : 'd');
			if (out->answer_day > end)
				out->answer = 'p';
		}
		/* The Authority decides at its first meeting two weeks on (none in --csv). */
		const struct gen_meeting *m = meeting_from(w, t + 14 + (int32_t)gen_below(&r, 30));
		bool identified = gen_chance(&r, 0.75), decided = gen_chance(&r, 0.7);
		if (m && m->day <= end && decided) {
			t = m->day;
			out->stage = "formal_identification";
			json_object_set_new(f, "al_authority_meeting", json_integer(m->id));
			json_object_set_new(f, "al_formal_decision", json_string(identified ? "identified_victim" : "not_identified"));
			set_day(f, "al_formal_decision_date", t);
			char num[32];
			int y, mo, d;
			date_to_ymd(t, &y, &mo, &d);
			snprintf(num, sizeof num, "%u/%d", 1 + gen_below(&r, 400), y);
			json_object_set_new(f, "al_formal_decision_number", json_string(num));
		}
		if (!identified && strcmp(out->stage, "formal_identification") == 0) {
			closes = t + 7 + (int32_t)gen_below(&r, 60);
			closure = "not_victim";
		} else {
			int32_t s = t + (int32_t)gen_below(&r, 6);
			if (gen_chance(&r, 0.6) && s <= end) {
				t = s;
				out->stage = "immediate_assistance";
				set_day(f, "al_assistance_start_date", t);
				json_object_set_new(f, "al_immediate_services", codes("accommodation", gen_chance(&r, 0.6) ? "psychological" : "medical"));
			}
			s = t + (int32_t)gen_below(&r, 20);
			if (gen_chance(&r, 0.55) && s <= end) {
				t = s;
				out->stage = "protection";
				bool shelter = gen_chance(&r, 0.6);
				json_object_set_new(f, "al_protection_setting", json_string(shelter ? "shelter" : p.child ? "family" : "community"));
				set_day(f, "al_protection_start_date", t);
				if (shelter) {
					static const char *const sh[] = {"qkpvt_linze", "child_centre", "tjeter_vizion", "different_equal", "vatra"};
					json_object_set_new(f, "al_shelter", json_string(p.child && gen_chance(&r, 0.5) ? "child_centre" : sh[gen_below(&r, N(sh))]));
				}
			}
			s = t + 10 + (int32_t)gen_below(&r, 60);
			if (foreign && gen_chance(&r, 0.5) && s <= end) {
				t = s;
				out->stage = "assisted_return";
				json_object_set_new(f, "al_return_country", json_string(citizen));
				set_day(f, "al_return_risk_assessment_date", t);
				closes = t + 20 + (int32_t)gen_below(&r, 60);
				closure = "returned";
			} else if (s = t + 30 + (int32_t)gen_below(&r, 120), gen_chance(&r, 0.4) && s <= end) {
				t = s;
				out->stage = "reintegration";
				set_day(f, "al_reintegration_plan_date", t);
				char pe[DATE_LEN];
				date_format(t + 365, pe);
				static const char *const area[] = {"education", "vocational_training", "employment", "housing", "psychological"};
				json_object_set_new(f, "al_reintegration_plan",
						    json_pack("[{s:s, s:s, s:s}]", "al_plan_area", area[gen_below(&r, N(area))], "al_plan_planned_end", pe,
							      "al_plan_status", end - t > 365 ? "completed" : "in_progress"));
				set_day(f, "spl_PlannedEndDate", t + 365);
				closes = t + 300 + (int32_t)gen_below(&r, 600);
				closure = "reintegrated";
			}
		}
	}
	if (!closure) {
		static const char *const why[] = {"referred_elsewhere", "refused_assistance", "lost_contact", "other"};
		closure = referred ? why[gen_below(&r, N(why))] : gen_chance(&r, 0.5) ? "not_victim" : why[gen_below(&r, N(why))];
		closes = t + 30 + (int32_t)gen_below(&r, 700);
	}
	/* Some cases stay open for years (a long reintegration, a person followed up). */
	if (gen_chance(&r, 0.06))
		closes += 1500 + (int32_t)gen_below(&r, 3000);
	if (closes <= end) {
		out->stage = "closed";
		json_object_set_new(f, "al_closure_reason", json_string(closure));
		set_day(f, "al_closure_date", closes);
	}
	if (p.child && strcmp(out->stage, "initial_identification") != 0) {
		json_object_set_new(f, "al_child_protection_worker", json_string("Punonjës i NJMF-së (gjeneruar)"));
		set_day(f, "al_best_interest_assessment_date", ident + 1);
	}
	return 0;
}

void gen_case_free(struct gen_case *c)
{
	json_decref(c->fields);
	c->fields = NULL;
}
