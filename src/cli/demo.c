/* Demo data for `nrm init --demo`: one user per role of the outside contract, and a lived-in
 * organisation (members named, some seats left vacant, agreements, guests). All names are
 * invented. */
#include "cli/cli.h"

#include "core/clock.h"
#include "core/date.h"
#include "core/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secure/audit.h"
#include "secure/crypt.h"
#include "secure/password.h"
#include "store/agreement.h"
#include "store/org.h"
#include "store/user.h"

static const char *const counties[] = {"berat", "diber", "durres", "elbasan", "fier", "gjirokaster",
				       "korce", "kukes", "lezhe", "shkoder", "tirane", "vlore", NULL};

static const char *const first[] = {"Arben", "Elira", "Gentian", "Mirela", "Besnik", "Jonida", "Ilir", "Ledia",
				    "Dritan", "Anila", "Erion", "Valbona", "Kledi", "Rezarta", "Alban", "Teuta"};
static const char *const last[] = {"Hoxha", "Dervishi", "Kola", "Shehu", "Gjoka", "Meta", "Leka", "Basha",
				   "Prifti", "Hysa", "Marku", "Çela", "Dedja", "Kurti", "Bregu", "Zeneli"};

static void name_of(int i, char *out, size_t cap)
{
	/* Every name differs from the others for 256 members. */
	snprintf(out, cap, "%s %s", first[i % 16], last[(i / 16 + i * 7 + 3) % 16]);
}

static int user(struct store *s, const char *hash, const char *username, const char *name, const char *role,
		int64_t county, int64_t inst)
{
	int64_t id;
	int rc = store_user_add(s, username, name, role, county, inst, hash, &id);
	/* Demo users log in with the demo password alone (the serve banner says so); a user added
	 * later with `nrm user add` is not marked and needs the second factor its role asks. */
	return rc ? rc : store_user_set_totp_exempt(s, id);
}

/* Fills the first `n` seats of body `body` (n < 0: all) from day `from`. */
static int fill_seats_from(struct store *s, int64_t body, int n, const char *from, int *counter)
{
	json_t *seats;
	int rc = store_seats(s, body, 0, 0, "2025-07-01", &seats);
	if (rc)
		return rc;
	size_t i;
	json_t *seat;
	json_array_foreach(seats, i, seat) {
		if (n >= 0 && (int)i >= n)
			break;
		char name[80];
		int64_t person, nom;
		name_of((*counter)++, name, sizeof name);
		int64_t inst = json_integer_value(json_object_get(seat, "institution"));
		char *folded = NULL;
		if ((rc = crypt_normalise(name, &folded)))
			break;
		/* A fictitious address (RFC 2606 keeps .example for this), so notices go out by e-mail. */
		char email[120];
		size_t k = 0;
		for (const char *c = folded; *c && k + 20 < sizeof email; c++)
			if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'))
				email[k++] = *c;
			else if (*c == ' ' && k && email[k - 1] != '.')
				email[k++] = '.';
		snprintf(email + k, sizeof email - k, "@demo.example");
		rc = store_person_add(s, name, folded, NULL, email, NULL, inst, &person);
		free(folded);
		if (rc ||
		    (rc = store_nomination_add(s, json_integer_value(json_object_get(seat, "id")), person, from, NULL, NULL, 0,
					       &nom)))
			break;
	}
	json_decref(seats);
	return rc;
}

/* Fills them from 10 July 2025, within the 15 days the bodies of 27 June 2025 had. */
static int fill_seats(struct store *s, int64_t body, int n, int *counter)
{
	return fill_seats_from(s, body, n, "2025-07-10", counter);
}

/* Links demo account `username` to the person in the Authority's seat of role (or code). */
static int link_member(struct store *s, int64_t authority, const char *username, const char *role, const char *code)
{
	json_t *seats, *seat, *u = NULL;
	int rc = store_seats(s, authority, 0, 0, "2025-07-10", &seats);
	if (rc)
		return rc;
	int64_t person = 0;
	size_t i;
	json_array_foreach(seats, i, seat)
		if (!person && ((role && strcmp(j_str(seat, "role"), role) == 0) || (code && strcmp(j_str(seat, "code"), code) == 0)))
			person = j_int(json_object_get(seat, "member"), "person");
	json_decref(seats);
	if (!person || (rc = store_user_by_name(s, username, &u)))
		return rc ? rc : NRM_ENOTFOUND;
	rc = store_user_set_person(s, j_int(u, "id"), person);
	json_decref(u);
	return rc;
}

static int64_t body_of(struct store *s, const char *kind, int64_t county)
{
	int64_t id = 0;
	store_body_find(s, kind, county, &id);
	return id;
}

int demo_load(struct store *s, const char *password, struct nrm_err *err)
{
	char hash[PASSWORD_HASH_LEN];
	/* One hash for every demo user: they share the demo password anyway, and init stays fast. */
	int rc = secure_password_hash_demo(password, hash);
	if (rc)
		return nrm_fail(err, rc, nrm_key_of_code(rc), NULL, NULL);
	int64_t mb = 0, ngo = 0, tirane = 0;
	store_institution_find(s, "moi_antitrafficking", 0, 0, &mb);
	if ((rc = user(s, hash, "admin", "Administratori i sistemit", "admin", 0, 0)) ||
	    (rc = user(s, hash, "authority.chair", "Kryetari i Autoritetit (demo)", "authority_chair", 0, mb)) ||
	    (rc = user(s, hash, "authority.member", "Anëtar i Autoritetit, vendi b (demo)", "authority_member", 0, 0)) ||
	    (rc = user(s, hash, "authority.secretariat", "Sekretariati i Autoritetit (demo)", "authority_secretariat", 0, mb)) ||
	    (rc = user(s, hash, "ministry.monitor", "Monitoruesi i Ministrisë (demo)", "ministry_monitor", 0, mb)) ||
	    (rc = user(s, hash, "dpo", "Zyrtari i mbrojtjes së të dhënave (demo)", "dpo", 0, 0)))
		goto fail;
	for (const char *const *c = counties; *c; c++) {
		int64_t cid, police;
		char u[64], n[128];
		json_t *county = NULL;
		if ((rc = store_county_id(s, *c, &cid)) || (rc = store_institution_find(s, "local_police", cid, 0, &police)) ||
		    (rc = store_county_get(s, cid, &county)))
			goto fail;
		const char *cname = json_string_value(json_object_get(county, "name_sq"));
		static const char *const kinds[][3] = {{"secretariat", "county_secretariat", "Sekretariati teknik"},
						       {"krat", "krat_member", "Anëtar i KRAT"},
						       {"table", "table_member", "Anëtar i Tryezës Teknike"},
						       {"caseworker", "caseworker", "Punonjës rastesh, Policia"}};
		for (size_t k = 0; k < 4; k++) {
			snprintf(u, sizeof u, "%s.%s", *c, kinds[k][0]);
			snprintf(n, sizeof n, "%s %s (demo)", kinds[k][2], cname ? cname : *c);
			if ((rc = user(s, hash, u, n, kinds[k][1], cid, k == 3 ? police : 0)))
				break;
		}
		json_decref(county);
		if (rc)
			goto fail;
	}
	if ((rc = store_county_id(s, "tirane", &tirane)) ||
	    (rc = store_institution_add(s, "ngo_shelter", tirane, 0, "Strehëza e OJF-së \"Shpresa\" (demo), Tiranë",
					"NGO shelter \"Shpresa\" (demo), Tirana", &ngo)) ||
	    (rc = user(s, hash, "tirane.ngo", "Punonjëse rastesh, strehëza (demo)", "caseworker", tirane, ngo)))
		goto fail;

	/* Members: the Authority full, Fier's KRAT and Table half filled, the rest left to nominate. */
	int counter = 0;
	int64_t fier;
	if ((rc = store_county_id(s, "fier", &fier)) || (rc = fill_seats(s, body_of(s, "authority", 0), -1, &counter)) ||
	    (rc = fill_seats(s, body_of(s, "authority_secretariat", 0), -1, &counter)) ||
	    (rc = fill_seats(s, body_of(s, "krat", fier), 12, &counter)) ||
	    (rc = fill_seats(s, body_of(s, "technical_table", fier), 10, &counter)) ||
	    (rc = fill_seats(s, body_of(s, "krat_secretariat", fier), 2, &counter)) ||
	    (rc = fill_seats(s, body_of(s, "krat", tirane), -1, &counter)) ||
	    (rc = fill_seats(s, body_of(s, "krat_secretariat", tirane), -1, &counter)))
		goto fail;
	/* For the KRAT scorecard, counties that differ: Durrës's KRAT full in time, Korçë's Table
	 * filled three weeks late, Vlorë's KRAT in part, Shkodër's bodies nominated only lately. */
	char recent[DATE_LEN], soon[DATE_LEN];
	date_format(clock_today() - 50, recent);
	date_format(clock_today() + 50, soon);
	int64_t durres, korce, vlore, shkoder;
	if ((rc = store_county_id(s, "durres", &durres)) || (rc = store_county_id(s, "korce", &korce)) ||
	    (rc = store_county_id(s, "vlore", &vlore)) || (rc = store_county_id(s, "shkoder", &shkoder)) ||
	    (rc = fill_seats(s, body_of(s, "krat", durres), -1, &counter)) ||
	    (rc = fill_seats(s, body_of(s, "krat_secretariat", durres), -1, &counter)) ||
	    (rc = fill_seats_from(s, body_of(s, "technical_table", korce), -1, "2025-08-01", &counter)) ||
	    (rc = fill_seats_from(s, body_of(s, "krat", vlore), 8, "2025-07-20", &counter)) ||
	    (rc = fill_seats_from(s, body_of(s, "krat", shkoder), 9, recent, &counter)) ||
	    (rc = fill_seats_from(s, body_of(s, "technical_table", shkoder), 6, recent, &counter)))
		goto fail;
	/* The Authority's demo members are the people in their seats: the chair and seat b. */
	if ((rc = link_member(s, body_of(s, "authority", 0), "authority.chair", "chair", NULL)) ||
	    (rc = link_member(s, body_of(s, "authority", 0), "authority.member", NULL, "b")))
		goto fail;

	struct agreement a = {.county = fier, .counterpart_kind = "prosecution_first",
			      .counterpart = "Prokuroria pranë Gjykatës së Shkallës së Parë Fier",
			      .title = "Memorandum bashkëpunimi për identifikimin dhe referimin e viktimave të trafikimit",
			      .signed_on = "2025-09-15", .valid_from = "2025-09-15", .valid_until = "2027-09-14"};
	struct agreement b = {.county = fier, .counterpart_kind = "ngo_nrm", .counterpart = "Organizata \"Vatra\" (demo)",
			      .title = "Protokoll bashkëpunimi për strehimin dhe riintegrimin", .signed_on = "2025-10-01"};
	int64_t id;
	/* Durrës with its prosecution office, Tirana's expiring soon, Korçë's ended: the Ministry's
	 * list of counties without one shows Korçë, with the day it ended. */
	struct agreement more[] = {
		{.county = durres, .counterpart_kind = "prosecution_first", .counterpart = "Prokuroria pranë Gjykatës së Shkallës së Parë Durrës",
		 .title = "Memorandum bashkëpunimi për referimin e viktimave", .signed_on = "2025-11-03"},
		{.county = tirane, .counterpart_kind = "prosecution_appeal", .counterpart = "Prokuroria pranë Gjykatës së Apelit Tiranë",
		 .title = "Protokoll bashkëpunimi", .signed_on = "2025-08-01", .valid_until = soon},
		{.county = korce, .counterpart_kind = "prosecution_first", .counterpart = "Prokuroria pranë Gjykatës së Shkallës së Parë Korçë",
		 .title = "Memorandum bashkëpunimi (2024–2026)", .signed_on = "2024-05-01", .valid_until = "2026-04-30"},
	};
	for (size_t k = 0; k < sizeof more / sizeof *more; k++)
		if ((rc = store_agreement_add(s, &more[k], &id)))
			goto fail;
	if ((rc = store_agreement_add(s, &a, &id)) || (rc = store_agreement_add(s, &b, &id)) ||
	    (rc = store_guest_add(s, body_of(s, "krat", fier), "Komisioneri për Mbrojtjen nga Diskriminimi",
				  "Komisioneri për Mbrojtjen nga Diskriminimi", "O94 §1.4", "2025-10-01", NULL, &id)) ||
	    (rc = secure_audit(s, NULL, "demo", "database", NULL, NULL, NULL, "demo data loaded")))
		goto fail;
	return 0;
fail:
	return err->msg[0] ? rc : nrm_fail(err, rc, KEY_storage, NULL, "what", "demo data", "detail", nrm_err_name(rc), NULL);
}
