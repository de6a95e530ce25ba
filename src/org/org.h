/* The organisation registry's operations, shared by the API and the command line: counties
 * and municipalities, institutions, bodies and their seats, who holds each seat (Order 94
 * §1.2, §1.5, §6.1; Instruction 132 §2, §8), the persons who hold seats, and the guests
 * invited to a body (O94 §1.4, I132 §3).
 *
 * Every function checks who may do it (c->me), runs each change as one transaction with its
 * audit row, and fills err naming the field on failure. Inputs are JSON documents (a request
 * body, or what the CLI builds); every json_t ** out-parameter receives a new reference the
 * caller must json_decref, written only on success. */
#ifndef NRM_ORG_ORG_H
#define NRM_ORG_ORG_H

#include <jansson.h>
#include <stdint.h>

#include "core/ctx.h"
#include "core/err.h"

/* Counties with "name" (Albanian) and "name_en". */
int org_counties(struct nrm_ctx *c, json_t **out, struct nrm_err *err);
/* One county by slug: its municipalities, bodies (each with a seat summary), summary, can_edit. */
int org_county(struct nrm_ctx *c, const char *slug, json_t **out, struct nrm_err *err);
/* The id of the county named by slug; 0 for NULL or "" (any). */
int org_county_id(struct nrm_ctx *c, const char *slug, const char *field, int64_t *id, struct nrm_err *err);
int org_municipalities(struct nrm_ctx *c, int64_t county, json_t **out, struct nrm_err *err);

int org_institution_types(struct nrm_ctx *c, json_t **out, struct nrm_err *err);
int org_institutions(struct nrm_ctx *c, int64_t county, const char *type, int64_t after, int limit, json_t **out,
		     struct nrm_err *err);
/* {"type", "name", "name_en"?, "county"?, "municipality"?} */
int org_institution_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err);

/* Bodies of a kind and/or county (NULL / 0 = any), each with its seat summary. */
int org_bodies(struct nrm_ctx *c, const char *kind, int64_t county, json_t **out, struct nrm_err *err);
/* One body with its seats (member, status, deadline), guests, summary and can_edit. */
int org_body(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
/* A municipal technical group: {"kind": "municipal_group", "municipality", "name"?, "name_en"?,
 * "established"?}. */
int org_body_create(struct nrm_ctx *c, json_t *in, json_t **out, struct nrm_err *err);
/* Loads body id into *body when the caller may edit it (organise it: its seats, members,
 * guests, meetings); otherwise no_such_body (404) or body_not_editable (403). */
int org_body_editable(struct nrm_ctx *c, int64_t id, json_t **body, struct nrm_err *err);

/* A seat of a municipal group (the others are fixed by law): {"label", "label_en"?, "role"?,
 * "institution"?}. */
int org_seat_create(struct nrm_ctx *c, int64_t body, json_t *in, json_t **out, struct nrm_err *err);
/* One seat as org_body shows it, with can_edit and every nomination. */
int org_seat(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
/* Seats with member, status (filled / vacant / overdue), deadline and days_overdue, of a body
 * and/or a county (0 = any), as on c->today. A seat is filled only while someone holds it:
 * a nomination from a later day shows as "upcoming" and leaves the seat vacant (or overdue)
 * until that day. */
int org_seats(struct nrm_ctx *c, int64_t body, int64_t county, json_t **out, struct nrm_err *err);
/* Per county and nationally: seats, filled, vacant, overdue. */
int org_seats_overview(struct nrm_ctx *c, json_t **out, struct nrm_err *err);
/* The seats whose nomination is overdue (county 0 = all). */
int org_nominations_overdue(struct nrm_ctx *c, int64_t county, json_t **out, struct nrm_err *err);

/* Nominates a person (an existing one by "person", or a new one by "name", "position"?,
 * "email"?, "phone"?) to a seat from "start" (not before the body was established) until
 * "end"?; a holder from before is replaced (their membership ends the day before). */
int org_nominate(struct nrm_ctx *c, int64_t seat, json_t *in, json_t **out, struct nrm_err *err);
/* Sets or clears the end of a membership: {"end"}. */
int org_nomination_end(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);
/* Deletes a nomination entered in error. */
int org_nomination_delete(struct nrm_ctx *c, int64_t id, struct nrm_err *err);

/* Persons whose name contains q (any case and diacritics), keyset by id. */
int org_persons(struct nrm_ctx *c, const char *q, int64_t after, int limit, json_t **out, struct nrm_err *err);
/* One person with their memberships. */
int org_person(struct nrm_ctx *c, int64_t id, json_t **out, struct nrm_err *err);
/* {"name"?, "position"?, "email"?, "phone"?}: absent members keep their value, null clears. */
int org_person_update(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);

int org_guests(struct nrm_ctx *c, int64_t body, json_t **out, struct nrm_err *err);
/* {"name", "organisation"?, "reason"?, "start", "end"?} */
int org_guest_create(struct nrm_ctx *c, int64_t body, json_t *in, json_t **out, struct nrm_err *err);
/* {"end"} */
int org_guest_end(struct nrm_ctx *c, int64_t id, json_t *in, json_t **out, struct nrm_err *err);

#endif
