/* Organisation registry in the database: counties, municipalities, institutions, bodies,
 * seats, persons, nominations and invited guests. Every json_t ** out-parameter receives a
 * new reference the caller must json_decref. Ids are int64_t; 0 means "none" / "any". */
#ifndef NRM_STORE_ORG_H
#define NRM_STORE_ORG_H

#include "store/db.h"

/* Reference data (used by init). */
int store_county_add(struct store *s, const char *slug, const char *iso, const char *case_prefix,
		     const char *name_sq, const char *name_en, int64_t *id);
int store_municipality_add(struct store *s, int64_t county, const char *slug, const char *name, int64_t *id);
int store_institution_type_add(struct store *s, const char *code, const char *level, int krat_order,
			       int per_municipality, const char *name_sq, const char *name_en, const char *source);
int store_institution_add(struct store *s, const char *type, int64_t county, int64_t municipality,
			  const char *name, const char *name_en, int64_t *id);
int store_body_add(struct store *s, const char *kind, int64_t county, int64_t municipality, int64_t parent,
		   const char *name_sq, const char *name_en, const char *established, int nomination_days,
		   int meeting_every_months, int64_t *id);
int store_seat_add(struct store *s, int64_t body, const char *code, const char *role, int64_t institution,
		   const char *label_sq, const char *label_en, int64_t *id);

/* Look-ups. */
int store_counties(struct store *s, json_t **out);
int store_county_id(struct store *s, const char *slug, int64_t *id);
int store_county_get(struct store *s, int64_t id, json_t **out);
int store_municipalities(struct store *s, int64_t county, json_t **out);
int store_municipality_get(struct store *s, const char *slug, json_t **out);
int store_institution_types(struct store *s, json_t **out);
int store_institutions(struct store *s, int64_t county, const char *type, int64_t after, int limit, json_t **out);
int store_institution_get(struct store *s, int64_t id, json_t **out);
int store_institution_find(struct store *s, const char *type, int64_t county, int64_t municipality, int64_t *id);

int store_institution_type_exists(struct store *s, const char *code);
/* The body of `kind` in county (0 = national); NRM_ENOTFOUND when there is none. */
int store_body_find(struct store *s, const char *kind, int64_t county, int64_t *id);
/* A seat code not yet used in the body ("m1", "m2", ...); *code is malloc'd. */
int store_seat_next_code(struct store *s, int64_t body, char **code);
/* The counties (0 = national) of the bodies where a person holds or held a seat. */
int store_person_counties(struct store *s, int64_t person, json_t **out);
int store_bodies(struct store *s, const char *kind, int64_t county, json_t **out);
int store_body_get(struct store *s, int64_t id, json_t **out);
int store_seat_get(struct store *s, int64_t id, json_t **out);
int store_seat_next_position(struct store *s, int64_t body, int *pos);

/* Seats with their member and upcoming nomination on `today` ("YYYY-MM-DD"), the day the
 * last member left (last_end) and their body's deadline data; filtered by body and/or
 * county (0 = any); national bodies only when national_only. */
int store_seats(struct store *s, int64_t body, int64_t county, int national_only, const char *today, json_t **out);

/* `search` is the name folded for matching (secure/crypt.h crypt_normalise). */
int store_person_add(struct store *s, const char *name, const char *search, const char *position, const char *email,
		     const char *phone, int64_t institution, int64_t *id);
int store_person_get(struct store *s, int64_t id, json_t **out);
int store_person_update(struct store *s, int64_t id, const char *name, const char *search, const char *position,
			const char *email, const char *phone);
/* Persons whose folded name contains q (already folded), keyset by id. */
int store_persons(struct store *s, const char *q, int64_t after, int limit, json_t **out);
int store_person_memberships(struct store *s, int64_t person, json_t **out);

int store_nomination_add(struct store *s, int64_t seat, int64_t person, const char *start, const char *end,
			 const char *note, int64_t by, int64_t *id);
int store_nomination_get(struct store *s, int64_t id, json_t **out);
int store_nomination_set_end(struct store *s, int64_t id, const char *end);
int store_nomination_delete(struct store *s, int64_t id);
/* Every nomination of a seat, newest first. */
int store_seat_nominations(struct store *s, int64_t seat, json_t **out);

int store_guests(struct store *s, int64_t body, json_t **out);
int store_guest_add(struct store *s, int64_t body, const char *name, const char *organisation,
		    const char *reason, const char *start, const char *end, int64_t *id);
int store_guest_get(struct store *s, int64_t id, json_t **out);
int store_guest_set_end(struct store *s, int64_t id, const char *end);

#endif
