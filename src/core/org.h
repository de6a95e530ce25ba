/* Organisation rules of the NRM: body kinds, how a county body's seats are composed
 * (Order 94 §1.2, §1.5), and the nomination deadline of Order 94 §6.1. */
#ifndef NRM_CORE_ORG_H
#define NRM_CORE_ORG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum org_kind {
	ORG_AUTHORITY,
	ORG_AUTHORITY_SECRETARIAT,
	ORG_KRAT,
	ORG_TECHNICAL_TABLE,
	ORG_KRAT_SECRETARIAT,
	ORG_MUNICIPAL_GROUP,
	ORG_KIND_COUNT
};

/* "authority", "krat", ...; NULL for an out-of-range kind. */
const char *org_kind_name(enum org_kind k);
/* Returns the kind, or -1 when s names none. */
int org_kind_parse(const char *s);
/* True for the kinds that exist once per county. */
bool org_kind_is_county(enum org_kind k);

/* An institution type as the composition rule needs it. */
struct org_type {
	int krat_order;        /* position in O94 §1.2, 0 when not a KRAT member */
	bool per_municipality; /* one seat per municipality of the county */
};

/* One member seat of a KRAT or Technical Table: the index of its institution type in the
 * caller's array and, for per-municipality types, the municipality index (else -1). */
struct org_slot {
	size_t type;
	int municipality;
};

/* Member seats (the chair excluded) of a county's KRAT, which its Technical Table mirrors
 * with one technical seat each: the KRAT types in §1.2 order, per-municipality types once
 * per municipality. Writes at most cap slots; returns how many there are in all. */
size_t org_compose_members(const struct org_type *types, size_t ntypes, size_t nmunicipalities,
			   struct org_slot *out, size_t cap);

enum org_seat_status { SEAT_VACANT, SEAT_FILLED, SEAT_OVERDUE };
const char *org_seat_status_name(enum org_seat_status s);

/* The day by which a vacant seat must be filled: `days` after the body was established,
 * or after the day the last member left when that was later (a replacement gets the same
 * time). Returns 0 and writes *deadline, or -1 when the body has no such deadline
 * (days <= 0). Dates are day numbers; vacated_since <= 0 means never held. */
int org_nomination_deadline(int32_t established, int days, int32_t vacated_since, int32_t *deadline);

/* Status of a seat on `today`: filled when someone holds it or is nominated from a later
 * day, overdue when vacant past its deadline. */
enum org_seat_status org_seat_status(bool held_or_nominated, bool has_deadline, int32_t deadline,
				     int32_t today);

#endif
